"""The board filtered to the languages a member speaks, on the page and in the API."""

from __future__ import annotations

import pytest

from mutua.core.tests.factories import make_ask
from mutua.people.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def asks_in_three_languages(ward):
    return {
        "pl": make_ask(what="Zakupy dla babci", language="pl"),
        "pt-BR": make_ask(what="Compras para a semana", language="pt-BR"),
        "en": make_ask(what="A lift to the clinic", language="en"),
    }


def test_a_member_sees_only_asks_in_the_languages_they_speak(
    client, helper, asks_in_three_languages
):
    Profile.objects.filter(user=helper).update(languages=["pl", "pt"])
    client.force_login(helper)

    html = client.get("/board/", {"my_languages": "on"}).content.decode()

    assert "Zakupy dla babci" in html
    assert "Compras para a semana" in html  # pt-BR is Portuguese too
    assert "A lift to the clinic" not in html
    assert "in the languages you speak" in html


def test_without_the_tick_the_board_shows_every_language(client, helper, asks_in_three_languages):
    Profile.objects.filter(user=helper).update(languages=["pl"])
    client.force_login(helper)

    html = client.get("/board/").content.decode()

    assert "A lift to the clinic" in html and "Zakupy dla babci" in html


def test_a_member_who_named_no_languages_is_told_where_to_add_them(
    client, helper, asks_in_three_languages
):
    Profile.objects.filter(user=helper).update(languages=[])
    client.force_login(helper)

    html = client.get("/board/", {"my_languages": "on"}).content.decode()

    assert "Add the languages you speak on your page first." in html
    assert "A lift to the clinic" in html


def test_the_tick_is_offered_to_members_only(client, helper, ward):
    assert 'name="my_languages"' not in client.get("/board/").content.decode()

    client.force_login(helper)

    assert 'name="my_languages"' in client.get("/board/").content.decode()


def test_the_api_board_filters_by_language(client, asks_in_three_languages):
    everything = client.get("/api/v1/asks").json()
    some = client.get("/api/v1/asks", {"language": "pt,pl"}).json()

    assert {item["language"] for item in everything["items"]} == {"pl", "pt-BR", "en"}
    assert {item["language"] for item in some["items"]} == {"pl", "pt-BR"}
    # The same answer as before the filter existed, only fewer items.
    assert some.keys() == everything.keys() == {"count", "items"}
    assert some["count"] == 2
    assert some["items"][0].keys() == everything["items"][0].keys()


@pytest.mark.parametrize("value", ["", "english", "pl;es", "1,2"])
def test_the_api_refuses_a_language_that_is_not_a_code(client, ward, value):
    response = client.get("/api/v1/asks", {"language": value})

    assert response.status_code == 400
    assert "language" in response.json()["detail"]
