"""A member's second area in dispatch: they are suggested the asks there that nobody
nearer could take, never ahead of someone at home, and never an ask they may not take."""

from __future__ import annotations

import pytest

from mutua.core.tests.factories import HACKNEY, make_ask, make_group
from mutua.governance.services import trust_by_operator
from mutua.groups import services as group_services
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.matching.services import run_dispatch
from mutua.matching.tests.db_people import CROYDON, NEAR, new_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def croydon(db):
    return make_group(name="Croydon Central", center=CROYDON, radius_km=2)


def helps_there_too(group, user):
    """Choose the group's area as a second area, and be trusted there with its asks (the
    group's rules for who may take its asks hold in a second area too)."""
    group_services.help_in_second_area(group=group, user=user)
    trust_by_operator(group=group, member=user)


def suggested(ask):
    return [
        s.helper
        for s in Suggestion.objects.filter(ask=ask, status=SuggestionStatus.PENDING).select_related(
            "helper"
        )
    ]


def test_a_far_member_with_a_second_area_there_is_suggested_its_ask(ward, asker, croydon):
    # Home in Croydon, 19 km from Hackney, willing to travel 3 km: out of range from home.
    far = new_member(croydon, "Far", home=CROYDON)
    helps_there_too(ward, far)
    ask = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=asker)

    run_dispatch(groups=[ward])

    assert suggested(ask) == [far]


def test_without_the_second_area_nobody_is_in_range(ward, asker, croydon):
    far = new_member(croydon, "Far", home=CROYDON)
    group_services.join_group(group=ward, user=far)
    ask = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=asker)

    run = run_dispatch(groups=[ward])

    assert suggested(ask) == []
    assert run.unmatched == {"no_helper_in_range": 1}


def test_someone_at_home_comes_first(ward, asker, croydon):
    near = new_member(ward, "Near", home=NEAR, max_asks=1)
    far = new_member(croydon, "Far", home=CROYDON)
    helps_there_too(ward, far)
    first = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=asker, urgency=3)
    second = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=asker, urgency=2)

    run_dispatch(groups=[ward])

    # The near member takes the most urgent; the far one only what is left over.
    assert suggested(first) == [near]
    assert suggested(second) == [far]


def test_the_second_pass_respects_who_may_not_take_an_ask(ward, croydon):
    far = new_member(croydon, "Far", home=CROYDON)
    helps_there_too(ward, far)
    own = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=far)

    run_dispatch(groups=[ward])

    assert suggested(own) == []


def test_a_member_the_group_does_not_trust_yet_is_not_suggested_there(ward, asker, croydon):
    far = new_member(croydon, "Far", home=CROYDON)
    group_services.help_in_second_area(group=ward, user=far)
    ask = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=asker)

    run_dispatch(groups=[ward])

    assert suggested(ask) == []
