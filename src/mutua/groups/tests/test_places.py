"""Places typed as words, on a London network like the demo's (issue 21)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from mutua.core.tests.factories import london_network
from mutua.groups.models import Group
from mutua.groups.selectors.nearby import nearest_place_names
from mutua.groups.selectors.places import (
    describe,
    reached_group,
    resolve,
    resolve_place,
    understand,
)


@pytest.fixture
def london(db: None) -> dict[str, Group]:
    return london_network()


def _reached(text: str) -> str | None:
    chosen = resolve(text).chosen
    assert chosen is not None, text
    group = reached_group(chosen)
    return None if group is None else group.name


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Hackney", "Hackney Central Mutual Aid"),
        ("Clerkenwell", "Clerkenwell Mutual Aid"),
        ("Southwark", "Southwark Mutual Aid"),
        ("Tower Hamlets", "Tower Hamlets Mutual Aid"),
        ("tower hamlets mutual aid", "Tower Hamlets Mutual Aid"),
        ("Islington", "Islington Mutual Aid"),
    ],
)
def test_the_networks_group_names_resolve_to_their_areas(london, text, group):
    assert _reached(text) == group


def test_districts_and_alternate_names_come_from_the_gazetteer(london):
    bethnal = resolve("Bethnal Green").chosen
    assert bethnal is not None and (bethnal.name, bethnal.kind) == ("Bethnal Green", "town")
    londres = resolve("Londres").chosen
    assert londres is not None and londres.name == "London"
    assert round(londres.lat, 1) == 51.5


def test_a_name_near_the_network_beats_a_far_one_with_the_same_spelling(london):
    camden = resolve("Camden")
    assert camden.chosen is not None
    assert camden.chosen.name == "Camden Town"
    assert all(c.far for c in camden.candidates[1:])
    assert "New Jersey" in " ".join(c.name for c in camden.candidates)


def test_a_far_match_is_offered_never_chosen(london):
    street = resolve("Street")
    assert street.chosen is None
    assert street.candidates[0].far
    assert street.candidates[0].name == "Street, United Kingdom"


def test_a_groups_own_names_win_over_the_gazetteer(london):
    # Dalston is in the gazetteer too, in Cumbria; Hackney's group named its own.
    dalston = resolve("Dalston").chosen
    assert dalston is not None
    assert (dalston.name, dalston.kind) == ("Dalston, Hackney", "district")
    assert describe(dalston) == "Near Dalston, Hackney: Hackney Mutual Aid will see it."


def test_a_full_postcode_finds_the_district_a_group_added(london):
    e8 = resolve("E8 1DY").chosen
    assert e8 is not None and e8.kind == "postcode"


def test_a_sentence_naming_a_place_finds_it(london):
    assert _reached("HELP shopping in Hackney") == "Hackney Central Mutual Aid"


def test_the_same_name_in_two_groups_is_ambiguous(london):
    from mutua.groups.services import NewPlaceName, add_place_names

    add_place_names(
        group=london["Hackney Mutual Aid"], places=[NewPlaceName("Church Street", 51.56, -0.07)]
    )
    add_place_names(
        group=london["Southwark Mutual Aid"], places=[NewPlaceName("Church Street", 51.47, -0.07)]
    )
    church = resolve("Church Street")
    assert church.ambiguous and church.chosen is None
    assert [c.name for c in church.choices[:2]] == [
        "Church Street, Hackney",
        "Church Street, Southwark",
    ] or [c.name for c in church.choices[:2]] == [
        "Church Street, Southwark",
        "Church Street, Hackney",
    ]


def test_near_ranks_by_distance_to_the_point_given(london):
    from mutua.groups.services import NewPlaceName, add_place_names

    add_place_names(
        group=london["Southwark Mutual Aid"], places=[NewPlaceName("Church Street", 51.47, -0.07)]
    )
    add_place_names(
        group=london["Hackney Mutual Aid"], places=[NewPlaceName("Church Street", 51.56, -0.07)]
    )
    near_peckham = resolve("Church Street", near=(51.47, -0.07)).candidates
    assert near_peckham[0].name == "Church Street, Southwark"
    near_hackney = resolve("Church Street", near=(51.56, -0.07)).candidates
    assert near_hackney[0].name == "Church Street, Hackney"


def test_the_address_line_never_moves_the_place_to_a_far_town(london):
    hackney = understand("Hackney", "12 Acacia Street").chosen
    assert hackney is not None
    assert hackney.name == "Hackney"
    assert getattr(reached_group(hackney), "name", None) == "Hackney Central Mutual Aid"
    assert resolve_place("", "12 Some Street") is None


def test_an_address_naming_a_groups_place_refines_the_place(london):
    refined = understand("Hackney", "12 Mare Street, London")
    assert refined.chosen is not None and refined.chosen.name == "Mare Street, Hackney"
    # With no place typed, the address counts only for a name near the network.
    assert getattr(understand("", "Flat 3, 9 Mare Street").chosen, "name", None) == (
        "Mare Street, Hackney"
    )
    assert understand("", "4 High Street, Street, Somerset").chosen is None


def test_typed_coordinates_are_taken_as_they_are(london):
    point = resolve("51.5450, -0.0553").chosen
    assert point is not None and point.kind == "point"


def test_nothing_found_is_empty(london):
    assert resolve("Nowhereville-on-Sea xyzzy").candidates == ()
    assert resolve("   ").candidates == ()


def test_a_coarse_place_in_words(london):
    points = [(51.5465, -0.0750), (51.5245, -0.1100), (0.0, -30.0)]
    assert nearest_place_names(points) == ["Dalston", "Clerkenwell", None]
    assert nearest_place_names([]) == []


def test_the_online_geocoder_is_off_by_default(london):
    with mock.patch("geopy.geocoders.Nominatim.geocode") as geocode:
        assert resolve("Nowhereville-on-Sea xyzzy").candidates == ()
    geocode.assert_not_called()


def test_the_online_geocoder_is_asked_when_nothing_offline_is_near(london, settings):
    settings.MUTUA_GEOCODER_URL = "https://nominatim.example.org"
    hit: Any = mock.Mock(
        address="Nightingale Estate, Hackney, London", latitude=51.558, longitude=-0.061
    )
    with mock.patch("geopy.geocoders.Nominatim.geocode", return_value=[hit]) as geocode:
        found = resolve("Nightingale Estate").chosen
        assert found is not None and (found.name, found.kind) == ("Nightingale Estate", "geocoder")
        # A name the network knows never leaves the server.
        assert getattr(resolve("Dalston").chosen, "kind", None) == "district"
    assert geocode.call_count == 1


def test_a_failing_geocoder_finds_nothing(london, settings):
    from geopy.exc import GeocoderTimedOut

    settings.MUTUA_GEOCODER_URL = "https://nominatim.example.org"
    with mock.patch("geopy.geocoders.Nominatim.geocode", side_effect=GeocoderTimedOut("slow")):
        assert resolve("Nightingale Estate").chosen is None
