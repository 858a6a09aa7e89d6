"""The board: open asks near a place, coarse place only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mutua.aid import board_cache, selectors, services
from mutua.aid.models import Ask
from mutua.core.categories import Category
from mutua.core.tests.factories import HACKNEY, make_ask
from mutua.people.services import update_profile

pytestmark = pytest.mark.django_db

NEAR = f"{HACKNEY[0]}, {HACKNEY[1]}"


def test_board_shows_the_coarse_place_but_never_contact_or_exact_place(client, ward):
    ask = make_ask(
        address="7 Secret Row, London E8",
        contact_phone="+442079460999",
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


def _cards(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="card".*?href="/asks/(\d+)/"', html, re.S)]


@pytest.fixture
def sixty_asks(ward):
    return [make_ask(what=f"ask number {i}", urgency=1 + i % 3) for i in range(60)]


def test_the_board_comes_a_page_at_a_time_with_a_more_link(client, sixty_asks):
    first = client.get("/board/", {"near": NEAR}).content.decode()
    more = re.search(r'<a class="button secondary" href="([^"]+)"', first)
    assert more is not None and "page=2" in more.group(1)
    second = client.get(more.group(1).replace("&amp;", "&")).content.decode()
    third = client.get("/board/", {"near": NEAR, "page": 3}).content.decode()

    pages = [_cards(first), _cards(second), _cards(third)]
    assert [len(page) for page in pages] == [25, 25, 10]
    assert sorted(pk for page in pages for pk in page) == sorted(a.pk for a in sixty_asks)
    assert "Asks 26 to 50" in second and "Back to the most urgent asks" in second
    assert "More asks" not in third
    # Most urgent first across the pages.
    urgency = {a.pk: a.urgency for a in sixty_asks}
    order = [urgency[pk] for page in pages for pk in page]
    assert order == sorted(order, reverse=True)


def test_more_with_htmx_sends_only_the_next_cards(client, sixty_asks):
    response = client.get("/board/", {"near": NEAR, "page": 2}, headers={"HX-Request": "true"})
    html = response.content.decode()

    assert len(_cards(html)) == 25
    assert html.lstrip().startswith("<li")
    assert "<ol" not in html and "<form" not in html
    assert 'id="board-more"' in html and "page=3" in html


@pytest.mark.parametrize("crowded", [False, True])
def test_board_query_count_does_not_grow_with_asks(
    client, helper, sixty_asks, monkeypatch, crowded, django_assert_max_num_queries
):
    if crowded:
        # The ring-by-ring search that a city of many thousand asks gets.
        monkeypatch.setattr(selectors, "_FEW_ASKS", 5)
    client.force_login(helper)
    # session, user, the asks' generation: a page this process kept needs nothing more.
    # Otherwise the list kept in the database cache (1 query), and when it was not kept,
    # the board's reads and keeping it (5 queries of the database cache). Nothing per ask.
    board_reads = 6 if crowded else 2

    with django_assert_max_num_queries(3 + 1 + board_reads + 5):
        response = client.get("/board/", {"near": NEAR})
    with django_assert_max_num_queries(3):
        again = client.get("/board/", {"near": NEAR})
    with django_assert_max_num_queries(3 + 1 + 2 * board_reads + 5):
        deeper = client.get("/board/", {"near": NEAR, "page": 2})
    board_cache.forget_local()  # as another web process would find it
    with django_assert_max_num_queries(3 + 1):
        elsewhere = client.get("/board/", {"near": NEAR})

    assert len(_cards(response.content.decode())) == 25
    assert _cards(again.content.decode()) == _cards(response.content.decode())
    assert _cards(elsewhere.content.decode()) == _cards(response.content.decode())
    assert len(_cards(deeper.content.decode())) == 25


def test_a_kept_list_never_outlives_a_change_of_an_ask(client, helper, ward):
    ask = make_ask(what="round the corner")
    before = client.get("/board/", {"near": NEAR}).content.decode()

    services.claim_ask(ask=ask, helper=helper)
    after = client.get("/board/", {"near": NEAR}).content.decode()
    newer = make_ask(what="a new one")
    latest = client.get("/board/", {"near": NEAR}).content.decode()

    assert f'href="/asks/{ask.pk}/"' in before
    assert f'href="/asks/{ask.pk}/"' not in after
    assert f'href="/asks/{newer.pk}/"' in latest


def test_urgency_says_what_it_means_and_old_asks_how_long_they_waited(client, ward):
    today = make_ask(what="fresh and urgent", urgency=3)
    old = make_ask(what="urgent a week ago", urgency=3)
    Ask.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=7, hours=2))

    html = client.get("/board/", {"near": NEAR}).content.decode()

    assert html.count("Needed today") == 2
    assert ">Today<" not in html
    assert "waiting for 1\xa0week" in html or "waiting for 7\xa0days" in html
    card = html[html.index(f'href="/asks/{today.pk}/"') :]
    assert "ago</time>" in card.split("</li>")[0]


def test_the_map_view_keeps_the_filters_and_lists_every_ask_it_maps(client, ward):
    pets = make_ask(category=Category.PETS, what="walk my dog Rex")
    groceries = make_ask(category=Category.GROCERIES, what="bread and milk")
    listed = client.get("/board/", {"near": NEAR, "category": "pets"}).content.decode()
    link = re.search(r'href="(/board/\?[^"]*view=map[^"]*)"', listed)
    assert link is not None

    html = client.get(link.group(1).replace("&amp;", "&")).content.decode()

    assert 'class="map-box"' in html and "data-map-box data-tiles=" in html
    assert '<div class="map" data-map role="region"' in html  # shown from the start
    assert f'href="/asks/{pets.pk}/"' in html
    assert f'href="/asks/{groceries.pk}/"' not in html
    assert html.count("data-lat=") == 1
    assert 'name="view" value="map"' in html


def test_on_a_phone_the_filters_beyond_the_place_are_folded(client, ward):
    plain = client.get("/board/").content.decode()
    filtered = client.get("/board/", {"category": "pets"}).content.decode()

    assert '<details class="more-filters">' in plain
    assert '<details class="more-filters" open>' in filtered


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
    assert "Near Leeds" in html  # its place in words, and the groups nearest it
    assert f'data-near="{ward.slug}"' in html
    assert outside.contact_phone not in html and outside.address not in html


def _token(html: str) -> str:
    found: set[str] = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(found) == 1
    return found.pop()


def test_a_kept_page_carries_each_persons_own_working_token(ward):
    make_ask(what="round the corner")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get("/board/", {"near": NEAR}).content.decode()
    second_html = second.get("/board/", {"near": NEAR}).content.decode()

    changed = second.post(
        "/i18n/setlang/", {"language": "es", "csrfmiddlewaretoken": _token(second_html)}
    )

    assert _token(first_html) != _token(second_html)
    assert changed.status_code == 302


def test_a_kept_page_keeps_the_menu_and_messages_of_whoever_looks(client, helper, ward):
    make_ask(what="round the corner")
    client.force_login(helper)
    as_member = client.get("/board/", {"near": NEAR}).content.decode()
    client.post("/accounts/logout/")
    after_logout = client.get("/board/", {"near": NEAR}).content.decode()
    as_visitor = client.get("/board/", {"near": NEAR}).content.decode()

    assert "Log out" in as_member and "Log in" not in as_member
    assert "You have signed out." in after_logout and "Log in" in after_logout
    assert "You have signed out." not in as_visitor and "Log out" not in as_visitor
