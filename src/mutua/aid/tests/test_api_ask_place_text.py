"""POST /api/v1/asks with the place in words: {"text": "Dalston"} (issue 21)."""

from __future__ import annotations

import pytest

from mutua.aid.models import Ask
from mutua.aid.tests.test_api_asks import ask_body, post
from mutua.core.tests.factories import london_network
from mutua.groups.models import Group


@pytest.fixture
def london(db: None) -> dict[str, Group]:
    return london_network()


def test_a_place_in_words_is_placed_at_its_best_match(client, london):
    response = post(client, "/api/v1/asks", ask_body(place={"text": "Dalston"}))
    assert response.status_code == 201
    assert response.json()["group"] == "hackney-mutual-aid"
    ask = Ask.objects.get()
    assert (round(ask.lat, 4), round(ask.lon, 4)) == (51.5463, -0.0754)


def test_a_group_name_reaches_the_smallest_group_there(client, london):
    response = post(client, "/api/v1/asks", ask_body(place={"text": "Hackney"}))
    assert response.status_code == 201
    assert response.json()["group"] == "hackney-central-mutual-aid"


def test_a_far_match_is_refused_with_candidates(client, london):
    response = post(client, "/api/v1/asks", ask_body(place={"text": "Street"}))
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "place"
    assert "far from every group" in body["detail"]
    assert body["candidates"][0]["name"] == "Street, United Kingdom"
    assert body["candidates"][0]["group"] is None
    assert not Ask.objects.exists()


def test_an_ambiguous_name_lists_up_to_three_candidates(client, london):
    from mutua.groups.services import NewPlaceName, add_place_names

    for group, lat in (("Hackney Mutual Aid", 51.56), ("Southwark Mutual Aid", 51.47)):
        add_place_names(group=london[group], places=[NewPlaceName("Church Street", lat, -0.07)])
    response = post(client, "/api/v1/asks", ask_body(place={"text": "Church Street"}))
    assert response.status_code == 422
    body = response.json()
    assert "several places" in body["detail"]
    assert 2 <= len(body["candidates"]) <= 3
    assert {c["group"] for c in body["candidates"][:2]} == {
        "hackney-mutual-aid",
        "southwark-mutual-aid",
    }
    assert not Ask.objects.exists()


def test_no_match_is_refused_with_no_candidates(client, london):
    body = ask_body(place={"text": "Nowhereville xyzzy"})
    body["contact"]["address"] = ""
    response = post(client, "/api/v1/asks", body)
    assert response.status_code == 422
    assert response.json()["candidates"] == []
    assert "could not find" in response.json()["detail"]


def test_an_address_naming_a_place_near_the_network_stands_in(client, london):
    body = ask_body(place={"text": "Nowhereville xyzzy"})
    body["contact"]["address"] = "Flat 2, 9 Mare Street"
    response = post(client, "/api/v1/asks", body)
    assert response.status_code == 201
    assert response.json()["group"] == "hackney-central-mutual-aid"


def test_the_address_never_moves_the_place_to_a_far_town(client, london):
    body = ask_body(place={"text": "Hackney"})
    body["contact"]["address"] = "12 Acacia Street"
    response = post(client, "/api/v1/asks", body)
    assert response.json()["group"] == "hackney-central-mutual-aid"


@pytest.mark.parametrize(
    "place", [{}, {"lat": 51.5}, {"text": ""}, {"text": "x" * 201}, {"text": 12}]
)
def test_a_place_of_the_wrong_shape_is_a_422(client, london, place):
    response = post(client, "/api/v1/asks", ask_body(place=place))
    assert response.status_code == 422
    assert "place" in response.json()["detail"]
    assert not Ask.objects.exists()
