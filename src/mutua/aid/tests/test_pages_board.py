"""The board: open asks near a place, coarse place only."""

from __future__ import annotations

import pytest

from mutua.core.categories import Category
from mutua.core.tests.factories import HACKNEY, make_ask
from mutua.people.services import update_profile

pytestmark = pytest.mark.django_db

NEAR = f"{HACKNEY[0]}, {HACKNEY[1]}"


def test_board_shows_the_coarse_place_but_never_contact_or_exact_place(client, ward):
    ask = make_ask(
        address="7 Secret Row, London E8",
        contact_phone="+44 20 7946 0999",
        lat=51.54737,
        lon=-0.05126,
    )

    response = client.get("/board/", {"near": NEAR})
    html = response.content.decode()

    assert response.status_code == 200
    assert f'href="/asks/{ask.pk}/"' in html
    assert ward.name in html
    assert "km away" in html
    assert "7 Secret Row" not in html
    assert "7946 0999" not in html
    assert "Ada" not in html
    assert "51.54737" not in html and "-0.05126" not in html


def test_board_sorts_by_urgency_then_distance(client, ward):
    far_urgent = make_ask(what="far but today", urgency=3, lat=51.552, lon=-0.065)
    near_later = make_ask(what="near, no rush", urgency=1)
    near_urgent = make_ask(what="near and today", urgency=3)

    html = client.get("/board/", {"near": NEAR}).content.decode()

    positions = [html.index(f'href="/asks/{a.pk}/"') for a in (near_urgent, far_urgent, near_later)]
    assert positions == sorted(positions)


def test_category_filter_without_js(client, ward):
    groceries = make_ask(category=Category.GROCERIES, what="bread and milk")
    pets = make_ask(category=Category.PETS, what="walk my dog Rex")

    html = client.get("/board/", {"near": NEAR, "category": "pets"}).content.decode()

    assert f'href="/asks/{pets.pk}/"' in html
    assert f'href="/asks/{groceries.pk}/"' not in html
    assert '<option value="pets" selected>' in html


def test_htmx_request_gets_only_the_list(client, ward):
    ask = make_ask(category=Category.PETS)

    response = client.get("/board/", {"category": "pets"}, headers={"HX-Request": "true"})
    html = response.content.decode()

    assert f'href="/asks/{ask.pk}/"' in html
    assert "<html" not in html and "<form" not in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, ward):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    html = client.get("/board/", {"category": "pets"}, headers=headers).content.decode()

    assert "<html" in html and "<form" in html


def test_radius_leaves_out_asks_further_away(client, ward):
    near = make_ask(what="round the corner")
    far = make_ask(what="across town", lat=51.60, lon=-0.20)

    html = client.get("/board/", {"near": NEAR, "radius_km": "3"}).content.decode()

    assert f'href="/asks/{near.pk}/"' in html
    assert f'href="/asks/{far.pk}/"' not in html


def test_a_members_home_area_centres_the_board(client, helper, ward):
    update_profile(
        user=helper,
        display_name="Sam",
        languages=["en"],
        skills=[],
        travel_radius_km=3,
        home=HACKNEY,
        available_days=[],
    )
    near = make_ask(what="round the corner")
    far = make_ask(what="in Manchester", lat=53.48, lon=-2.24)
    client.force_login(helper)

    html = client.get("/board/").content.decode()

    assert "your home area" in html
    assert f'href="/asks/{near.pk}/"' in html
    assert f'href="/asks/{far.pk}/"' not in html


def test_an_unknown_place_is_explained_and_the_board_still_shows(client, ward):
    ask = make_ask()

    response = client.get("/board/", {"near": "Zzyzxq Lane", "radius_km": "0"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "could not find that place" in html
    assert "greater than or equal to 1" in html
    assert f'href="/asks/{ask.pk}/"' in html


def test_board_query_count_does_not_grow_with_asks(
    client, helper, ward, django_assert_max_num_queries
):
    for i in range(30):
        make_ask(what=f"ask number {i}", urgency=1 + i % 3)
    client.force_login(helper)

    # session, user, profile, the asks (with their groups): nothing per ask.
    with django_assert_max_num_queries(5):
        response = client.get("/board/", {"near": NEAR})

    assert response.content.decode().count('class="card"') == 30


def test_unrouted_list_shows_asks_outside_every_area(client, ward):
    inside = make_ask(what="in the ward")
    outside = make_ask(what="far away in Leeds", lat=53.80, lon=-1.55)

    board = client.get("/board/").content.decode()
    response = client.get("/unrouted/")
    html = response.content.decode()

    assert 'href="/unrouted/"' in board
    assert response.status_code == 200
    assert f'href="/asks/{outside.pk}/"' in html
    assert f'href="/asks/{inside.pk}/"' not in html
    assert "outside any group" in html
    assert outside.contact_phone not in html and outside.address not in html
