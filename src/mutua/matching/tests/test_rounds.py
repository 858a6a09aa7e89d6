"""Automatic dispatch rounds: turned on and off by the group's decision, run by the worker's
periodic job, incremental (suggestions already sent stay), shown on the dispatch page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.aid.models import Claim, ClaimOutcome
from mutua.core.errors import InvalidInput
from mutua.core.periodic import periodic_jobs
from mutua.core.tests.factories import make_ask, make_group
from mutua.governance.models import Proposal, ProposalStatus
from mutua.governance.tests.factories import agree, decide, propose, set_rules
from mutua.groups.models import Membership
from mutua.matching.models import Round, RoundSchedule, Suggestion, SuggestionStatus
from mutua.matching.services import decline_suggestion, run_due_rounds, set_round_schedule
from mutua.matching.tests.db_people import FURTHER, NEAR, new_member

pytestmark = pytest.mark.django_db


def decide_rounds(group, author, minutes: str) -> Proposal:
    """Every member agrees to a dispatch-rounds proposal and its deadline passes."""
    proposal = propose(
        group, author, "dispatch-rounds", title="Dispatch by itself", setting_value=minutes
    )
    members = [m.user for m in Membership.objects.filter(group=group).select_related("user")]
    agree(proposal, *members)
    return decide(proposal)


@pytest.fixture
def rounds_on(ward, dispatcher, helper, other_helper):
    """The ward decided on rounds every 15 minutes."""
    decided = decide_rounds(ward, dispatcher, "15")
    assert decided.status == ProposalStatus.PASSED
    return RoundSchedule.objects.get(group=ward)


def test_a_passed_proposal_turns_rounds_on_and_the_first_is_due_at_once(rounds_on, ward):
    assert rounds_on.every_minutes == 15
    assert rounds_on.next_at is not None and rounds_on.next_at <= timezone.now()
    assert rounds_on.proposal.kind == "dispatch-rounds"
    assert rounds_on.proposal.status == ProposalStatus.PASSED


def test_a_proposal_that_does_not_pass_changes_nothing(ward, dispatcher, helper):
    proposal = propose(ward, dispatcher, "dispatch-rounds", setting_value="10")
    agree(proposal, dispatcher)

    assert decide(proposal).status == ProposalStatus.NOT_PASSED
    assert not RoundSchedule.objects.exists()


@pytest.mark.parametrize("typed", ["abc", "-5", "1441", "", "1.5", "²"])
def test_bad_intervals_are_refused_when_the_proposal_opens(ward, dispatcher, typed):
    with pytest.raises(InvalidInput) as refused:
        propose(ward, dispatcher, "dispatch-rounds", setting_value=typed)

    assert refused.value.field == "setting_value"
    assert "0 to turn them off" in refused.value.message
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("minutes", [-1, 1441, True])
def test_the_schedule_service_refuses_intervals_out_of_range(ward, minutes):
    with pytest.raises(InvalidInput):
        set_round_schedule(group=ward, every_minutes=minutes)

    assert not RoundSchedule.objects.exists()


def test_the_proposal_form_says_what_is_wrong(client, ward, dispatcher):
    client.force_login(dispatcher)
    url = f"/groups/{ward.slug}/proposals/new/dispatch-rounds/"

    assert "Every how many minutes" in client.get(url).content.decode()
    response = client.post(
        url, {"title": "Rounds", "text": "In the storm", "days": 7, "setting_value": "soon"}
    )

    assert response.status_code == 400
    assert "0 to turn them off" in response.content.decode()
    assert not Proposal.objects.exists()
    client.post(url, {"title": "Rounds", "text": "In the storm", "days": 7, "setting_value": "5"})
    proposal = Proposal.objects.get()
    page = client.get(f"/groups/{ward.slug}/proposals/{proposal.pk}/").content.decode()
    assert "dispatch runs by itself every 5 minutes" in page


def test_the_worker_job_is_declared():
    assert "dispatch-rounds" in {job.name for job in periodic_jobs()}


def test_a_round_suggests_a_helper_for_each_waiting_ask(rounds_on, ward):
    robin = new_member(ward, "Robin", home=NEAR)
    ask = make_ask(what="Weekly shop")

    assert run_due_rounds() == 1

    done = Round.objects.get()
    assert done.run.proposed == 1 and done.kept == 0 and done.expired == 0
    assert Suggestion.objects.get(ask=ask).helper == robin
    # Not due again until its interval has passed; running the job twice changes nothing.
    assert run_due_rounds() == 0
    assert Round.objects.count() == 1


def test_rounds_keep_earlier_suggestions_and_serve_new_asks(rounds_on, ward):
    new_member(ward, "Robin", home=NEAR, max_asks=2)
    new_member(ward, "Sam", home=NEAR, max_asks=2)
    first = make_ask(what="Weekly shop")
    run_due_rounds()
    sent = Suggestion.objects.get(ask=first)

    second = make_ask(what="Prescription", lat=NEAR[0], lon=NEAR[1])
    later = timezone.now() + timedelta(minutes=16)
    assert run_due_rounds(now=later) == 1

    sent.refresh_from_db()
    assert sent.status == SuggestionStatus.PENDING
    assert Suggestion.objects.filter(ask=first).count() == 1  # not reshuffled
    assert Suggestion.objects.get(ask=second).status == SuggestionStatus.PENDING
    latest = Round.objects.all()[0]
    assert (latest.kept, latest.run.proposed, latest.expired) == (1, 1, 0)


def test_declined_and_timed_out_suggestions_go_back_into_the_next_round(rounds_on, ward):
    robin = new_member(ward, "Robin", home=NEAR)
    sam = new_member(ward, "Sam", home=FURTHER)
    declined_ask = make_ask(what="Weekly shop")
    run_due_rounds()
    first = Suggestion.objects.get(ask=declined_ask)
    assert first.helper == robin
    decline_suggestion(suggestion=first, helper=robin)

    later = timezone.now() + timedelta(minutes=16)
    run_due_rounds(now=later)
    again = Suggestion.objects.get(ask=declined_ask, status=SuggestionStatus.PENDING)
    assert again.helper == sam  # never to Robin again

    # Sam does not answer in time: the round after the answer time ends it and suggests again.
    much_later = again.expires_at + timedelta(minutes=1)
    RoundSchedule.objects.filter(group=ward).update(next_at=much_later)
    run_due_rounds(now=much_later)
    again.refresh_from_db()
    assert again.status == SuggestionStatus.EXPIRED
    assert Round.objects.all()[0].expired == 1


def test_a_later_decision_turns_rounds_off(rounds_on, ward, dispatcher):
    decide_rounds(ward, dispatcher, "0")
    make_ask(what="Weekly shop")
    new_member(ward, "Robin", home=NEAR)

    rounds_on.refresh_from_db()
    assert not rounds_on.is_on and rounds_on.next_at is None
    assert run_due_rounds(now=timezone.now() + timedelta(days=1)) == 0
    assert not Round.objects.exists()


def test_a_round_covers_nested_groups_only_where_they_agreed(rounds_on, ward):
    street = make_group(name="Mare Street", slug="mare-street", parent=ward)
    quiet = make_group(name="Quiet Lane", slug="quiet-lane", parent=ward)
    set_rules(street, parent_dispatch="yes")
    robin = new_member(ward, "Robin", home=NEAR)
    for group in (street, quiet):
        Membership.objects.create(group=group, user=robin)
    street_ask = make_ask(what="For the street")
    quiet_ask = make_ask(what="For the lane")
    street_ask.group, quiet_ask.group = street, quiet
    street_ask.save(update_fields=["group"])
    quiet_ask.save(update_fields=["group"])

    run_due_rounds()

    assert Suggestion.objects.filter(ask=street_ask).exists()
    assert not Suggestion.objects.filter(ask=quiet_ask).exists()


@pytest.mark.parametrize("rested", ["Robin", "Sam"])
def test_among_equally_near_helpers_the_one_who_helped_least_recently_gets_the_ask(
    rounds_on, ward, rested
):
    people = {name: new_member(ward, name, home=NEAR) for name in ("Robin", "Sam")}
    busy = people["Sam" if rested == "Robin" else "Robin"]
    # One helped this morning, the other two days ago; which was created first must not
    # matter.
    for person, hours in ((busy, 2), (people[rested], 48)):
        done = make_ask(what="Earlier help")
        Claim.objects.create(ask=done, helper=person, outcome=ClaimOutcome.DONE)
        Claim.objects.filter(ask=done).update(claimed_at=timezone.now() - timedelta(hours=hours))
        done.status = "done"
        done.save(update_fields=["status"])
    ask = make_ask(what="Weekly shop")

    run_due_rounds()

    assert Suggestion.objects.get(ask=ask).helper == people[rested]


def test_the_dispatch_page_shows_the_rounds_and_what_each_did(
    client, rounds_on, ward, dispatcher, django_assert_max_num_queries
):
    new_member(ward, "Robin", home=NEAR)
    make_ask(what="Weekly shop")
    make_ask(what="Walk my dog", category="pets")
    run_due_rounds()
    client.force_login(dispatcher)

    html = client.get(f"/groups/{ward.slug}/dispatch/").content.decode()

    assert "Dispatch runs by itself every 15 minutes" in html
    assert "The group&#x27;s decision" in html or "The group's decision" in html
    done = Round.objects.get()
    assert f'href="/groups/{ward.slug}/dispatch/runs/{done.run_id}/"' in html
    assert "<td>1</td>" in html  # one suggested, one could not be matched
    assert "automatic round" in html
    for _ in range(3):
        RoundSchedule.objects.filter(group=ward).update(next_at=timezone.now())
        run_due_rounds()
    with django_assert_max_num_queries(12):
        client.get(f"/groups/{ward.slug}/dispatch/")


def test_the_page_says_when_rounds_are_off_and_how_to_turn_them_on(client, ward, dispatcher):
    client.force_login(dispatcher)

    html = client.get(f"/groups/{ward.slug}/dispatch/").content.decode()

    assert "Automatic rounds are off" in html
    assert f'href="/groups/{ward.slug}/proposals/new/dispatch-rounds/"' in html
