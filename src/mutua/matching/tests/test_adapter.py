"""The adapter end to end on the database: open asks and available members in, suggestions
and reasons out, and suggestions coming back into the pool."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from mutua.aid.models import AskStatus
from mutua.aid.services import claim_ask
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.tests.factories import HACKNEY, make_ask, make_group
from mutua.matching.models import Suggestion, SuggestionStatus, UnmatchedAsk
from mutua.matching.selectors import groups_for_dispatch, run_summary
from mutua.matching.services import (
    accept_suggestion,
    decline_suggestion,
    expire_suggestions,
    run_dispatch,
)
from mutua.matching.tests.db_people import (
    CROYDON,
    FURTHER,
    NEAR,
    local_midday,
    new_member,
)

pytestmark = pytest.mark.django_db


def pending(ask):
    return Suggestion.objects.filter(ask=ask, status=SuggestionStatus.PENDING).select_related(
        "helper"
    )


def reason_of(run, ask):
    return UnmatchedAsk.objects.get(run=run, ask=ask).reason


def test_an_open_ask_is_proposed_to_the_nearest_member_who_helps_with_it(ward, asker):
    new_member(ward, "Pet", home=NEAR, skills=("pets",))
    far = new_member(ward, "Far", home=FURTHER, skills=("groceries",))
    near = new_member(ward, "Near", home=NEAR, skills=("groceries", "meals"))
    ask = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=asker)

    run = run_dispatch(groups=[ward])

    [suggestion] = pending(ask)
    assert suggestion.helper == near
    assert suggestion.helper != far
    assert suggestion.group == ward  # group-owned rows carry the group id
    assert suggestion.distance_km < 1  # to the centre of the home cell, not the door
    assert (run.asks_considered, run.helpers_considered, run.proposed) == (1, 3, 1)
    assert run.group == ward


def test_dispatch_never_suggests_someone_who_may_not_take_the_ask(ward, asker):
    from mutua.governance.tests.factories import set_rules
    from mutua.privacy.services import block

    new_member(ward, "Newcomer", trusted=False, home=NEAR, skills=("groceries",))
    blocked = new_member(ward, "Blocked", home=NEAR, skills=("groceries",))
    block(blocker=asker, blocked=blocked)
    trusted = new_member(ward, "Trusted", home=FURTHER, skills=("groceries", "check-in"))
    groceries = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=asker)
    set_rules(ward, role_categories="check-in")
    check_in = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], category="check-in")

    run_dispatch(groups=[ward])

    assert [s.helper for s in pending(groceries)] == [trusted]
    # Check-ins are for named trusted helpers: the operator named Trusted one.
    assert [s.helper for s in pending(check_in)] == [trusted]


def test_a_member_is_never_proposed_their_own_ask(ward):
    asking_member = new_member(ward, "Asker", home=NEAR)
    ask = make_ask(asker=asking_member)

    alone = run_dispatch(groups=[ward])

    assert not pending(ask).exists()
    assert reason_of(alone, ask) == "no_helper_in_range"

    # Someone further away than the asker is still chosen over the asker.
    neighbour = new_member(ward, "Neighbour", home=FURTHER)
    run_dispatch(groups=[ward])

    assert [p.helper for p in pending(ask)] == [neighbour]


def test_paused_members_and_members_without_home_or_skills_are_left_out(ward):
    new_member(ward, "Resting", home=NEAR, paused=True)
    new_member(ward, "Homeless", home=None)
    new_member(ward, "Skillless", home=NEAR, skills=())
    ask = make_ask()

    run = run_dispatch(groups=[ward])

    assert run.helpers_considered == 0
    assert not pending(ask).exists()
    assert reason_of(run, ask) == "no_helper_in_range"


def test_members_of_other_groups_are_not_asked(ward):
    elsewhere = make_group(name="Croydon", center=CROYDON)
    new_member(elsewhere, "Stranger", home=NEAR)
    make_ask()

    run = run_dispatch(groups=[ward])

    assert (run.helpers_considered, run.proposed) == (0, 0)


def test_a_member_gets_no_more_asks_than_they_can_take_at_once(ward):
    helper = new_member(ward, "Solo", home=NEAR, max_asks=1)
    first = make_ask(urgency=3)
    second = make_ask(urgency=1)

    run = run_dispatch(groups=[ward])

    # The urgent ask wins the one place; the other is unmatched for capacity.
    assert [p.helper for p in pending(first)] == [helper]
    assert reason_of(run, second) == "capacity"

    # With the suggestion still pending the member is full: nobody for the second ask.
    again = run_dispatch(groups=[ward])
    assert again.helpers_considered == 0
    assert again.asks_considered == 1
    assert reason_of(again, second) == "no_helper_in_range"


def test_an_active_claim_counts_against_capacity(ward):
    helper = new_member(ward, "Busy", home=NEAR, max_asks=1)
    claim_ask(ask=make_ask(what="Taken from the board"), helper=helper)
    make_ask()

    run = run_dispatch(groups=[ward])

    assert (run.helpers_considered, run.proposed) == (0, 0)


def test_an_ask_in_the_site_language_goes_to_anyone_another_needs_a_speaker(ward):
    new_member(ward, "Monolingual", home=NEAR)  # lists no language: speaks the site's one
    english = make_ask(language="en-GB")
    bengali = make_ask(language="bn")

    first = run_dispatch(groups=[ward])

    assert pending(english).exists()
    assert reason_of(first, bengali) == "no_language"

    speaker = new_member(ward, "Speaker", home=FURTHER, languages=("bn",))
    run_dispatch(groups=[ward])

    assert [p.helper for p in pending(bengali)] == [speaker]


def test_members_not_free_today_are_out_and_those_whose_time_is_over_do_not_match(ward, settings):
    now = local_midday(settings)
    tomorrow = (now.weekday() + 1) % 7
    new_member(ward, "Tomorrow", home=NEAR, days=(tomorrow,))
    new_member(ward, "Morning", home=NEAR, days=(now.weekday(),), free_to=time(9, 0))
    ask = make_ask()

    run = run_dispatch(groups=[ward])

    assert run.helpers_considered == 1  # only the one free today
    assert reason_of(run, ask) == "no_time"

    evening = new_member(ward, "Evening", home=NEAR, free_from=time(18, 0))
    run_dispatch(groups=[ward])

    # Free later today is in time for an ask that needs help from now on.
    assert [p.helper for p in pending(ask)] == [evening]


def test_a_declined_ask_goes_to_someone_else_and_never_back_to_the_decliner(ward):
    nearest = new_member(ward, "Nearest", home=NEAR)
    next_one = new_member(ward, "Next", home=FURTHER)
    ask = make_ask()

    run_dispatch(groups=[ward])
    [first] = pending(ask)
    assert first.helper == nearest
    decline_suggestion(suggestion=first, helper=nearest)

    run_dispatch(groups=[ward])
    [second] = pending(ask)
    assert second.helper == next_one
    decline_suggestion(suggestion=second, helper=next_one)

    last = run_dispatch(groups=[ward])
    assert not pending(ask).exists()
    assert reason_of(last, ask) == "declined"
    assert ("not matched: the helpers who could have said no", 1) in run_summary(last)


def test_a_suggestion_nobody_answers_goes_back_into_the_pool(ward, settings):
    settings.MUTUA_PROPOSAL_TIMEOUT_MINUTES = 5
    helper = new_member(ward, "Slow", home=NEAR)
    ask = make_ask()

    run_dispatch(groups=[ward])
    [first] = pending(ask)
    answer_time = first.expires_at - first.created_at
    assert abs(answer_time - timedelta(minutes=5)) < timedelta(seconds=5)

    # Nothing times out early, and expiring is safe to repeat.
    assert expire_suggestions() == 0
    later = timezone.now() + timedelta(minutes=6)
    assert expire_suggestions(now=later) == 1
    assert expire_suggestions(now=later) == 0
    first.refresh_from_db()
    assert first.status == SuggestionStatus.EXPIRED

    run = run_dispatch(groups=[ward])
    # Not answering is not saying no: the same member may be asked again.
    assert [p.helper for p in pending(ask)] == [helper]
    assert run.asks_considered == 1


def test_each_run_expires_timed_out_suggestions_first(ward):
    new_member(ward, "Slow", home=NEAR)
    ask = make_ask()
    run_dispatch(groups=[ward])
    Suggestion.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    run_dispatch(groups=[ward])

    statuses = sorted(Suggestion.objects.filter(ask=ask).values_list("status", flat=True))
    assert statuses == ["expired", "pending"]


def test_accepting_claims_the_ask(ward):
    helper = new_member(ward, "Yes", home=NEAR)
    ask = make_ask()
    run_dispatch(groups=[ward])
    [suggestion] = pending(ask)

    claim = accept_suggestion(suggestion=suggestion, helper=helper)

    ask.refresh_from_db()
    suggestion.refresh_from_db()
    assert (ask.status, claim.helper, claim.ask) == (AskStatus.CLAIMED, helper, ask)
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.decided_at is not None


def test_accepting_after_someone_else_claimed_is_a_clear_conflict(ward, other_helper):
    helper = new_member(ward, "Late", home=NEAR)
    ask = make_ask()
    run_dispatch(groups=[ward])
    [suggestion] = pending(ask)
    claim_ask(ask=ask, helper=other_helper)

    with pytest.raises(Conflict, match="Someone else has already taken this ask"):
        accept_suggestion(suggestion=suggestion, helper=helper)

    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUPERSEDED
    assert ask.claims.get().helper == other_helper


def test_only_the_proposed_member_may_answer_and_only_once(ward, other_helper):
    helper = new_member(ward, "Me", home=NEAR)
    make_ask()
    run_dispatch(groups=[ward])
    suggestion = Suggestion.objects.get()

    with pytest.raises(NotAllowed):
        accept_suggestion(suggestion=suggestion, helper=other_helper)
    decline_suggestion(suggestion=suggestion, helper=helper)
    with pytest.raises(Conflict, match="already said no"):
        accept_suggestion(suggestion=suggestion, helper=helper)


def test_suggestions_for_asks_taken_from_the_board_are_superseded_at_the_next_run(
    ward, other_helper
):
    helper = new_member(ward, "Proposed", home=NEAR, max_asks=1)
    taken = make_ask()
    run_dispatch(groups=[ward])
    claim_ask(ask=taken, helper=other_helper)
    fresh = make_ask()

    run_dispatch(groups=[ward])

    assert Suggestion.objects.get(ask=taken).status == SuggestionStatus.SUPERSEDED
    # The stale suggestion no longer holds the member's only place.
    assert [p.helper for p in pending(fresh)] == [helper]


def test_a_network_run_covers_nested_groups_at_any_depth(db):
    network = make_group(name="East London", kind="network", radius_km=6)
    area = make_group(name="Hackney", kind="area", radius_km=4, parent=network)
    ward = make_group(name="Hackney Central", parent=area)
    new_member(ward, "Ward member", home=NEAR)
    ask = make_ask()
    assert ask.group == ward

    assert groups_for_dispatch(network_slug="east-london") == [network, area, ward]
    assert groups_for_dispatch(group_slug="east-london") == [network]
    assert run_dispatch(groups=groups_for_dispatch(group_slug="east-london")).proposed == 0

    run = run_dispatch(groups=groups_for_dispatch(network_slug="east-london"))

    assert run.proposed == 1
    assert run.group == network
    assert set(run.groups.all()) == {network, area, ward}
    assert pending(ask).get().group == ward


def test_unknown_or_missing_slugs_are_refused_clearly(ward):
    with pytest.raises(InvalidInput, match="no group with the short name nowhere"):
        groups_for_dispatch(network_slug="nowhere")
    with pytest.raises(InvalidInput, match="either one group or one network"):
        groups_for_dispatch()
    with pytest.raises(InvalidInput, match="either one group or one network"):
        groups_for_dispatch(group_slug=ward.slug, network_slug=ward.slug)
    with pytest.raises(InvalidInput):
        run_dispatch(groups=[])


def test_an_empty_group_gives_an_empty_result(ward):
    run = run_dispatch(groups=[ward])

    assert run_summary(run) == [
        ("asks considered", 0),
        ("helpers available", 0),
        ("proposed", 0),
    ]


def test_asks_with_no_helpers_are_all_unmatched_with_a_reason(ward):
    for _ in range(3):
        make_ask()

    run = run_dispatch(groups=[ward])

    assert run_summary(run) == [
        ("asks considered", 3),
        ("helpers available", 0),
        ("proposed", 0),
        ("not matched: no helper lives close enough", 3),
    ]
    assert run.seconds > 0


def test_a_member_far_away_is_out_of_range_and_one_with_the_wrong_skill_is_named(ward):
    new_member(ward, "Far", home=CROYDON, radius_km=5)
    groceries = make_ask()
    new_member(ward, "Dogwalker", home=NEAR, skills=("pets",))

    run = run_dispatch(groups=[ward])

    assert reason_of(run, groceries) == "no_category"
