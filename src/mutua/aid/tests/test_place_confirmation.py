"""The ask form shows where an ask will go before it is sent, with up to three choices,
with and without JavaScript (issue 21)."""

from __future__ import annotations

import re

import pytest

from mutua.aid.models import Ask
from mutua.aid.tests.test_pages_ask import form_data
from mutua.core.tests.factories import london_network
from mutua.groups.models import Group
from mutua.groups.services import NewPlaceName, add_place_names

DALSTON = "Near Dalston, Hackney: Hackney Mutual Aid will see it."


@pytest.fixture
def london(db: None) -> dict[str, Group]:
    return london_network()


def _choices(html: str) -> list[tuple[str, bool]]:
    return [
        (value, checked == " checked")
        for value, checked in re.findall(r'name="place_choice" value="([^"]+)"( checked)?', html)
    ]


def test_without_javascript_the_place_is_confirmed_in_a_second_step(client, london):
    first = client.post("/ask/", form_data(place="Dalston", address=""))
    html = first.content.decode()
    assert first.status_code == 200
    assert DALSTON in html
    assert "Check where your ask will go, then send it." in html
    assert _choices(html) == [("51.54630,-0.07540", True)]
    assert not Ask.objects.exists()

    second = client.post(
        "/ask/", form_data(place="Dalston", address="", place_choice="51.54630,-0.07540")
    )
    assert second.status_code == 302
    ask = Ask.objects.get()
    assert (ask.lat, ask.lon) == (51.5463, -0.0754)
    assert ask.group == london["Hackney Mutual Aid"]


def test_with_javascript_the_place_is_shown_as_typed_and_sent_in_one_step(client, london):
    fragment = client.get(
        "/ask/place/", {"place": "Hackney", "address": ""}, headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "Near Hackney: Hackney Central Mutual Aid will see it." in html
    assert "<form" not in html  # only the part that is swapped in
    [(key, ticked)] = _choices(html)
    assert ticked

    sent = client.post("/ask/", form_data(place="Hackney", address="", place_choice=key))
    assert sent.status_code == 302
    assert Ask.objects.get().group == london["Hackney Central Mutual Aid"]


def test_the_form_asks_the_place_as_it_is_typed(client, london):
    html = client.get("/ask/").content.decode()
    assert 'hx-get="/ask/place/"' in html
    assert 'id="place-confirm"' in html


def test_an_ambiguous_place_offers_its_choices_and_ticks_none(client, london):
    for group, lat in (("Hackney Mutual Aid", 51.56), ("Southwark Mutual Aid", 51.47)):
        add_place_names(group=london[group], places=[NewPlaceName("Church Street", lat, -0.07)])
    first = client.post("/ask/", form_data(place="Church Street", address=""))
    html = first.content.decode()
    choices = _choices(html)
    assert first.status_code == 200
    assert 2 <= len(choices) <= 3
    assert not any(ticked for _key, ticked in choices)
    assert "Which place do you mean?" in html
    assert "Near Church Street, Southwark: Southwark Mutual Aid will see it." in html

    # Sending again without choosing changes nothing; choosing sends it there.
    assert client.post("/ask/", form_data(place="Church Street", address="")).status_code == 200
    assert not Ask.objects.exists()
    southwark = next(k for k, _t in choices if k.startswith("51.47"))
    client.post("/ask/", form_data(place="Church Street", address="", place_choice=southwark))
    assert Ask.objects.get().group == london["Southwark Mutual Aid"]


def test_a_far_place_is_offered_and_goes_unrouted_only_when_chosen(client, london):
    first = client.post("/ask/", form_data(place="Manchester", address=""))
    html = first.content.decode()
    assert first.status_code == 200
    assert "(far from every group here)" in html
    assert "no group covers this place yet" in html
    [(key, ticked)] = _choices(html)[:1]
    assert not ticked and not Ask.objects.exists()

    client.post("/ask/", form_data(place="Manchester", address="", place_choice=key))
    assert Ask.objects.get().group is None


def test_where_is_needed_with_its_own_message(client, london):
    response = client.post("/ask/", form_data(place="", address=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tell us where help is needed" in html
    assert "(needed)" in html


def test_a_map_pin_or_typed_coordinates_need_no_second_step(client, london):
    pinned = client.post("/ask/", form_data(place="Dalston", lat="51.5451", lon="-0.0554"))
    typed = client.post(
        "/ask/", form_data(what="A lift to the clinic", place="51.5450, -0.0553", address="")
    )
    assert (pinned.status_code, typed.status_code) == (302, 302)
    assert Ask.objects.count() == 2
