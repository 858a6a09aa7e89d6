"""Every allowed and every refused move of an ask, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.aid import selectors, services
from mutua.aid.disclosure import Channel
from mutua.aid.models import Ask, AskStatus, Claim, ClaimOutcome
from mutua.aid.policy import Actor
from mutua.core.errors import Conflict, InvalidTransition, NotAllowed
from mutua.core.tests.factories import make_ask, trusted
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.privacy.policy import may_see_private

pytestmark = pytest.mark.django_db


def history(ask: Ask) -> list[tuple[str, str | None]]:
    """(kind, actor email) for each event, oldest first."""
    return [
        (e.kind, e.actor.email if e.actor else None) for e in ask.events.select_related("actor")
    ]


def fresh(ask: Ask) -> Ask:
    """The ask as the next request would load it."""
    return Ask.objects.get(pk=ask.pk)


@pytest.fixture
def ask(ward: Group, asker: User) -> Ask:
    return make_ask(asker=asker)


@pytest.fixture
def claimed(ask: Ask, helper: User) -> Ask:
    services.claim_ask(ask=fresh(ask), helper=helper)
    return fresh(ask)


def make_done(claimed: Ask, helper: User) -> Ask:
    services.complete_ask(ask=claimed, actor=Actor(user=helper))
    return fresh(claimed)


def make_cancelled(ask: Ask, asker: User) -> Ask:
    services.cancel_ask(ask=ask, actor=Actor(user=asker))
    return fresh(ask)


def make_expired(ask: Ask) -> Ask:
    assert services.expire_asks(now=ask.expires_at) == 1
    return fresh(ask)


# Allowed moves.


def test_a_new_ask_is_open_on_the_board_with_its_creation_recorded(ask, asker):
    assert ask.status == AskStatus.OPEN
    assert history(ask) == [("created", asker.email)]
    assert ask in [item.ask for item in selectors.board()]


def test_claim_moves_open_to_claimed_with_one_active_claim(ask, helper):
    claim = services.claim_ask(ask=ask, helper=helper)

    ask = fresh(ask)
    assert ask.status == AskStatus.CLAIMED
    assert claim.helper == helper
    assert claim.outcome == ClaimOutcome.ACTIVE
    assert claim.ended_at is None
    assert list(ask.claims.all()) == [claim]
    assert history(ask)[-1] == ("claimed", helper.email)
    assert selectors.active_helper_id(ask) == helper.pk
    assert ask not in [item.ask for item in selectors.board()]


def test_release_gives_the_ask_back_to_the_board_and_closes_the_claim(claimed, helper):
    services.release_ask(ask=claimed, helper=helper)

    ask = fresh(claimed)
    assert ask.status == AskStatus.OPEN
    claim = ask.claims.get()
    assert claim.outcome == ClaimOutcome.RELEASED
    assert claim.ended_at is not None
    assert [kind for kind, _ in history(ask)] == ["created", "claimed", "released"]
    assert history(ask)[-1] == ("released", helper.email)
    assert ask in [item.ask for item in selectors.board()]


def test_a_released_ask_can_be_claimed_by_someone_else(claimed, helper, other_helper):
    services.release_ask(ask=claimed, helper=helper)
    services.claim_ask(ask=fresh(claimed), helper=other_helper)

    ask = fresh(claimed)
    assert ask.status == AskStatus.CLAIMED
    outcomes = {c.helper.email: c.outcome for c in ask.claims.select_related("helper")}
    assert outcomes == {
        helper.email: ClaimOutcome.RELEASED,
        other_helper.email: ClaimOutcome.ACTIVE,
    }
    assert selectors.active_helper_id(ask) == other_helper.pk


def test_the_helper_marks_a_claimed_ask_done(claimed, helper):
    services.complete_ask(ask=claimed, actor=Actor(user=helper))

    ask = fresh(claimed)
    assert ask.status == AskStatus.DONE
    claim = ask.claims.get()
    assert (claim.outcome, claim.helper) == (ClaimOutcome.DONE, helper)
    assert claim.ended_at is not None
    assert history(ask)[-1] == ("done", helper.email)


def test_the_asker_marks_a_claimed_ask_done(claimed, asker, helper):
    services.complete_ask(ask=claimed, actor=Actor(user=asker))

    ask = fresh(claimed)
    assert ask.status == AskStatus.DONE
    assert ask.claims.get().outcome == ClaimOutcome.DONE
    assert history(ask)[-1] == ("done", asker.email)


def test_an_asker_without_account_marks_done_with_their_link(helper):
    ask = make_ask()
    services.claim_ask(ask=ask, helper=helper)
    key = selectors.asker_key(ask)

    services.complete_ask(ask=fresh(ask), actor=Actor(key=key))

    assert fresh(ask).status == AskStatus.DONE
    assert history(ask)[-1] == ("done", None)


def test_the_asker_cancels_an_open_ask(ask, asker):
    services.cancel_ask(ask=ask, actor=Actor(user=asker))

    ask = fresh(ask)
    assert ask.status == AskStatus.CANCELLED
    assert not ask.claims.exists()
    assert history(ask)[-1] == ("cancelled", asker.email)
    assert ask not in [item.ask for item in selectors.board()]


def test_the_asker_cancels_a_claimed_ask_and_the_claim_ends(claimed, asker, helper):
    services.cancel_ask(ask=claimed, actor=Actor(user=asker))

    ask = fresh(claimed)
    assert ask.status == AskStatus.CANCELLED
    claim = ask.claims.get()
    assert claim.outcome == ClaimOutcome.CANCELLED
    assert claim.ended_at is not None
    # The helper no longer sees the private details of an ask that is gone.
    assert not may_see_private(viewer=Actor(user=helper), ask=ask, channel=Channel.PAGE).allowed


def test_open_asks_past_their_expiry_expire_and_others_do_not(ask, helper):
    later = make_ask()
    claimed_one = make_ask()
    services.claim_ask(ask=claimed_one, helper=helper)
    now = ask.expires_at + timedelta(minutes=1)
    Ask.objects.filter(pk=later.pk).update(expires_at=now + timedelta(days=1))

    assert services.expire_asks(now=now) == 1

    assert fresh(ask).status == AskStatus.EXPIRED
    assert history(ask)[-1] == ("expired", None)
    assert fresh(later).status == AskStatus.OPEN
    # A helper is on the way: a claimed ask never expires under them.
    assert fresh(claimed_one).status == AskStatus.CLAIMED
    assert services.expire_asks(now=now) == 0


def test_expiry_defaults_to_the_configured_days(settings):
    settings.MUTUA_ASK_EXPIRY_DAYS = 3
    before = timezone.now()
    ask = make_ask()
    assert timedelta(days=3) <= ask.expires_at - before < timedelta(days=3, minutes=1)
    assert services.expire_asks() == 0
    assert services.expire_asks(now=before + timedelta(days=3, minutes=1)) == 1


def test_the_same_person_can_ask_and_help(ward, asker, helper):
    trusted(ward, asker)
    their_ask = make_ask(asker=helper)
    services.claim_ask(ask=make_ask(asker=asker), helper=helper)
    services.claim_ask(ask=their_ask, helper=asker)
    assert fresh(their_ask).status == AskStatus.CLAIMED


# Refused moves.


def test_claiming_a_claimed_ask_is_a_conflict_and_the_first_claim_stands(claimed, other_helper):
    with pytest.raises(Conflict) as refused:
        services.claim_ask(ask=fresh(claimed), helper=other_helper)

    assert refused.value.status == 409
    assert refused.value.message == "Someone else has already taken this ask."
    ask = fresh(claimed)
    assert ask.status == AskStatus.CLAIMED
    assert ask.claims.filter(outcome=ClaimOutcome.ACTIVE).count() == 1
    assert selectors.active_helper_id(ask) != other_helper.pk
    assert [kind for kind, _ in history(ask)] == ["created", "claimed"]


def test_claiming_twice_tells_the_helper_they_already_have_it(claimed, helper):
    with pytest.raises(Conflict, match="You have already taken this ask"):
        services.claim_ask(ask=fresh(claimed), helper=helper)
    assert Claim.objects.filter(ask=claimed).count() == 1


@pytest.mark.parametrize(
    ("end", "message"),
    [
        ("done", "This ask is already done."),
        ("cancelled", "This ask was cancelled."),
        ("expired", "This ask has expired."),
    ],
)
def test_claiming_a_closed_ask_is_refused_with_what_happened(
    end, message, ask, asker, helper, other_helper
):
    if end == "done":
        services.claim_ask(ask=ask, helper=helper)
        closed = make_done(fresh(ask), helper)
    elif end == "cancelled":
        closed = make_cancelled(ask, asker)
    else:
        closed = make_expired(ask)
    claims_before = Claim.objects.count()

    with pytest.raises(InvalidTransition) as refused:
        services.claim_ask(ask=closed, helper=other_helper)

    assert refused.value.message == message
    assert refused.value.status == 409
    assert fresh(ask).status == end
    assert Claim.objects.count() == claims_before


def test_the_asker_cannot_claim_their_own_ask(ask, asker):
    with pytest.raises(NotAllowed, match="your own ask"):
        services.claim_ask(ask=ask, helper=asker)
    assert fresh(ask).status == AskStatus.OPEN
    assert not ask.claims.exists()


def test_only_the_helper_who_claimed_can_release(claimed, helper, other_helper, asker):
    for someone in (other_helper, asker):
        with pytest.raises(NotAllowed, match="Only the person who took this ask"):
            services.release_ask(ask=fresh(claimed), helper=someone)

    ask = fresh(claimed)
    assert ask.status == AskStatus.CLAIMED
    assert ask.claims.get().outcome == ClaimOutcome.ACTIVE
    assert selectors.active_helper_id(ask) == helper.pk


def test_releasing_an_open_ask_is_refused(ask, helper):
    with pytest.raises(InvalidTransition, match="not claimed"):
        services.release_ask(ask=ask, helper=helper)
    assert fresh(ask).status == AskStatus.OPEN
    assert len(history(ask)) == 1


def test_releasing_twice_is_refused_the_second_time(claimed, helper):
    services.release_ask(ask=fresh(claimed), helper=helper)
    with pytest.raises(InvalidTransition):
        services.release_ask(ask=fresh(claimed), helper=helper)
    assert [kind for kind, _ in history(claimed)] == ["created", "claimed", "released"]


def test_an_open_ask_cannot_be_marked_done(ask, asker, helper):
    with pytest.raises(InvalidTransition, match="Nobody has taken this ask yet"):
        services.complete_ask(ask=ask, actor=Actor(user=asker))
    with pytest.raises(InvalidTransition):
        services.complete_ask(ask=ask, actor=Actor(user=helper))
    assert fresh(ask).status == AskStatus.OPEN


def test_an_outsider_cannot_mark_a_claimed_ask_done(claimed, outsider, other_helper):
    for someone in (outsider, other_helper):
        with pytest.raises(NotAllowed, match="Only the helper or the person who asked"):
            services.complete_ask(ask=fresh(claimed), actor=Actor(user=someone))
    with pytest.raises(NotAllowed):
        services.complete_ask(ask=fresh(claimed), actor=Actor())

    ask = fresh(claimed)
    assert ask.status == AskStatus.CLAIMED
    assert ask.claims.get().outcome == ClaimOutcome.ACTIVE


def test_a_done_ask_cannot_be_done_again(claimed, helper):
    done = make_done(claimed, helper)
    with pytest.raises(InvalidTransition, match="already done"):
        services.complete_ask(ask=done, actor=Actor(user=helper))
    assert [kind for kind, _ in history(done)].count("done") == 1


def test_only_the_asker_can_cancel(ask, helper, outsider):
    for someone in (helper, outsider):
        with pytest.raises(NotAllowed, match="Only the person who asked"):
            services.cancel_ask(ask=ask, actor=Actor(user=someone))
    assert fresh(ask).status == AskStatus.OPEN


@pytest.mark.parametrize("end", ["done", "cancelled", "expired"])
def test_a_closed_ask_cannot_be_cancelled_or_released(end, ask, asker, helper):
    if end == "done":
        services.claim_ask(ask=ask, helper=helper)
        closed = make_done(fresh(ask), helper)
    elif end == "cancelled":
        closed = make_cancelled(ask, asker)
    else:
        closed = make_expired(ask)
    events_before = len(history(closed))

    with pytest.raises(InvalidTransition):
        services.cancel_ask(ask=closed, actor=Actor(user=asker))
    with pytest.raises(InvalidTransition):
        services.release_ask(ask=closed, helper=helper)

    assert fresh(ask).status == end
    assert len(history(closed)) == events_before


# Instances loaded before someone else acted: the database decides, not the stale copy.


def test_a_stale_copy_cannot_release_a_claim_taken_since(claimed, helper, other_helper):
    stale = fresh(claimed)
    services.release_ask(ask=fresh(claimed), helper=helper)
    services.claim_ask(ask=fresh(claimed), helper=other_helper)

    with pytest.raises(NotAllowed):
        services.release_ask(ask=stale, helper=helper)
    with pytest.raises(NotAllowed):
        services.complete_ask(ask=stale, actor=Actor(user=helper))

    assert selectors.active_helper_id(fresh(claimed)) == other_helper.pk


def test_the_asker_can_cancel_from_a_page_loaded_before_the_claim(ask, asker, helper):
    page = fresh(ask)
    services.claim_ask(ask=fresh(ask), helper=helper)

    services.cancel_ask(ask=page, actor=Actor(user=asker))

    assert fresh(ask).status == AskStatus.CANCELLED
    assert ask.claims.get().outcome == ClaimOutcome.CANCELLED


def test_the_helper_can_mark_done_from_a_page_loaded_before_their_claim(ask, helper):
    page = fresh(ask)
    services.claim_ask(ask=fresh(ask), helper=helper)

    services.complete_ask(ask=page, actor=Actor(user=helper))

    assert fresh(ask).status == AskStatus.DONE
