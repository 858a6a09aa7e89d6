"""The board: open asks near a place, most urgent first, then nearest."""

from __future__ import annotations

import math
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutua.aid import selectors, services
from mutua.aid.models import Ask
from mutua.aid.policy import Actor
from mutua.aid.shapes import public_ask
from mutua.core.categories import Category
from mutua.core.tests.factories import HACKNEY, make_ask

pytestmark = pytest.mark.django_db

KM_PER_DEGREE_LAT = 111.2


def ask_north(km: float, *, urgency: int = 2, **fields) -> Ask:
    """An ask `km` north of Hackney Central."""
    return make_ask(
        lat=HACKNEY[0] + km / KM_PER_DEGREE_LAT, lon=HACKNEY[1], urgency=urgency, **fields
    )


def board_asks(**kwargs) -> list[Ask]:
    return [item.ask for item in selectors.board(**kwargs)]


def test_most_urgent_first_then_nearest_and_far_asks_left_out():
    near_normal = ask_north(0.3, urgency=2)
    mid_urgent = ask_north(2, urgency=3)
    near_low = ask_north(1, urgency=1)
    far_urgent = ask_north(6, urgency=3)
    beyond = ask_north(15, urgency=3)

    items = selectors.board(near=HACKNEY, radius_km=10)

    assert [i.ask for i in items] == [mid_urgent, far_urgent, near_normal, near_low]
    assert beyond not in [i.ask for i in items]
    # Distances are to the public cell centre: right to within the size of a cell.
    distances = {i.ask.pk: i.distance_km for i in items}
    assert distances[mid_urgent.pk] == pytest.approx(2, abs=0.6)
    assert distances[far_urgent.pk] == pytest.approx(6, abs=0.6)
    assert distances[near_low.pk] == pytest.approx(1, abs=0.6)


def test_a_wider_radius_takes_in_the_far_ask():
    beyond = ask_north(15)
    assert beyond not in board_asks(near=HACKNEY, radius_km=10)
    assert beyond in board_asks(near=HACKNEY, radius_km=20)


def test_radius_is_a_circle_not_the_square_around_it():
    # 8 km north and 8 km east: inside the square box of a 10 km search, but 11.3 km away.
    corner = make_ask(
        lat=HACKNEY[0] + 8 / KM_PER_DEGREE_LAT,
        lon=HACKNEY[1] + 8 / (KM_PER_DEGREE_LAT * math.cos(math.radians(HACKNEY[0]))),
    )
    assert corner not in board_asks(near=HACKNEY, radius_km=10)
    assert corner in board_asks(near=HACKNEY, radius_km=12)


def test_equal_urgency_is_ordered_by_distance():
    far, near, middle = ask_north(4), ask_north(0.5), ask_north(2)
    assert board_asks(near=HACKNEY, radius_km=10) == [near, middle, far]


def test_category_filter_keeps_only_that_kind_of_help():
    groceries = ask_north(1)
    pets = ask_north(1, category=Category.PETS, what="Walk my dog, please")

    assert board_asks(near=HACKNEY, category=Category.PETS) == [pets]
    assert board_asks(near=HACKNEY, category=Category.GROCERIES) == [groceries]
    assert board_asks(near=HACKNEY, category=Category.HOUSING) == []
    assert set(board_asks(near=HACKNEY)) == {groceries, pets}


def test_only_open_asks_are_on_the_board(asker, helper):
    open_ask = ask_north(1)
    claimed = ask_north(1)
    services.claim_ask(ask=claimed, helper=helper)
    done = ask_north(1)
    services.claim_ask(ask=done, helper=helper)
    services.complete_ask(ask=done, actor=Actor(user=helper))
    cancelled = ask_north(1, asker=asker)
    services.cancel_ask(ask=cancelled, actor=Actor(user=asker))
    expired = ask_north(1)
    Ask.objects.filter(pk=expired.pk).update(expires_at=expired.created_at)
    services.expire_asks(now=expired.created_at)

    assert board_asks(near=HACKNEY) == [open_ask]
    assert board_asks() == [open_ask]


def test_without_a_place_the_board_is_by_urgency_then_newest():
    older_urgent = ask_north(9, urgency=3)
    low = ask_north(0.1, urgency=1)
    newer_urgent = ask_north(12, urgency=3)

    items = selectors.board()

    assert [i.ask for i in items] == [newer_urgent, older_urgent, low]
    assert {i.distance_km for i in items} == {None}


def test_board_can_be_limited_to_groups(ward):
    mine = ask_north(0.5)
    unrouted = make_ask(lat=53.4808, lon=-2.2426)
    assert mine.group == ward

    assert board_asks(group_ids=[ward.pk]) == [mine]
    assert board_asks(group_ids=[]) == []
    assert set(board_asks()) == {mine, unrouted}


def test_limit_keeps_the_most_urgent():
    asks = [ask_north(km, urgency=1) for km in (1, 2, 3)]
    urgent = ask_north(5, urgency=3)
    assert board_asks(near=HACKNEY, limit=2) == [urgent, asks[0]]


def test_the_board_reaches_across_the_date_line():
    # Taveuni, Fiji, sits on the 180th meridian: neighbours have longitudes of both signs.
    me = (-16.85, 179.97)
    across = make_ask(lat=-16.85, lon=-179.97)

    assert across in board_asks(near=me, radius_km=20)
    assert across not in board_asks(near=me, radius_km=2)


def test_the_board_reaches_across_the_pole():
    me = (89.95, 100.0)
    across = make_ask(lat=89.95, lon=-100.0)

    assert across in board_asks(near=me, radius_km=20)
    assert across not in board_asks(near=me, radius_km=5)


def test_pages_continue_the_order_without_gaps_or_repeats():
    asks = [ask_north(0.2 * i, urgency=1 + i % 3) for i in range(12)]

    whole = board_asks(near=HACKNEY)
    pages = [board_asks(near=HACKNEY, limit=5, offset=offset) for offset in (0, 5, 10)]

    assert [a for page in pages for a in page] == whole
    assert sorted(a.pk for a in whole) == sorted(a.pk for a in asks)
    assert [len(page) for page in pages] == [5, 5, 2]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_crowded_place_is_searched_ring_by_ring_in_the_same_order(monkeypatch, seed):
    """Where the box holds many asks the board widens a ring per urgency instead of
    ranking them all; it must give the order ranking them all gives."""
    rng = random.Random(seed)
    for _ in range(40):
        ask_north(rng.uniform(-9, 9), urgency=rng.choice([1, 2, 3]))
    ranked = board_asks(near=HACKNEY, radius_km=7)
    monkeypatch.setattr(selectors, "_FEW_ASKS", 3)  # every box now counts as crowded

    for limit, offset in [(5, 0), (10, 5), (60, 0), (4, 30)]:
        assert (
            board_asks(near=HACKNEY, radius_km=7, limit=limit, offset=offset)
            == (ranked[offset : offset + limit])
        )


def test_the_board_never_reads_contact_or_exact_place_columns(monkeypatch, ward):
    for km in (0.5, 1, 2):
        ask_north(km)

    for crowded in (False, True):
        if crowded:
            monkeypatch.setattr(selectors, "_FEW_ASKS", 1)
        with CaptureQueriesContext(connection) as queries:
            items = selectors.board(near=HACKNEY)
            shown = [public_ask(item.ask) for item in items]
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert len(shown) == 3 and shown[0]["group"] == "hackney-central"
        for private in ("contact_name", "contact_phone", "contact_email", "address", '"lat"'):
            assert private not in sql
