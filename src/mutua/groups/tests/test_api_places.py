"""GET /api/v1/places: what a place typed as words may mean, best first."""

from __future__ import annotations

import pytest

from mutua.core.tests.factories import london_network
from mutua.groups.models import Group


@pytest.fixture
def london(db: None) -> dict[str, Group]:
    return london_network()


def test_places_are_listed_best_first_with_the_group_they_reach(client, london):
    response = client.get("/api/v1/places", {"q": "Dalston"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0] == {
        "name": "Dalston, Hackney",
        "lat": 51.5463,
        "lon": -0.0754,
        "group": "hackney-mutual-aid",
        "kind": "district",
    }
    # Dalston in Cumbria is listed too, after, reaching no group.
    cumbria = items[1]
    assert cumbria["name"] == "Dalston, United Kingdom"
    assert (cumbria["group"], cumbria["kind"]) == (None, "town")


def test_a_group_name_reaches_the_smallest_group_there(client, london):
    items = client.get("/api/v1/places", {"q": "Hackney"}).json()["items"]
    assert (items[0]["name"], items[0]["kind"]) == ("Hackney", "group")
    assert items[0]["group"] == "hackney-central-mutual-aid"


def test_near_puts_the_nearest_first(client, london):
    far_first = client.get("/api/v1/places", {"q": "Camden", "near": "39.93,-75.12"}).json()
    assert far_first["items"][0]["name"] == "Camden"
    assert round(far_first["items"][0]["lat"]) == 40
    london_first = client.get("/api/v1/places", {"q": "Camden"}).json()
    assert london_first["items"][0]["name"] == "Camden Town"


def test_bad_input_is_a_clear_4xx(client, london):
    bad_near = client.get("/api/v1/places", {"q": "Hackney", "near": "north"})
    assert bad_near.status_code == 400
    assert bad_near.json()["detail"].startswith("near must be LAT,LON")
    assert client.get("/api/v1/places").status_code == 422
    assert client.get("/api/v1/places", {"q": "x" * 201}).status_code == 422


def test_nothing_found_is_an_empty_list(client, london):
    response = client.get("/api/v1/places", {"q": "Nowhereville xyzzy"})
    assert response.json() == {"items": []}
