"""The life of an ask after it is recorded. Every state change of an ask is one function here.

The ask state machine:

    open --claim--> claimed --done--> done
      ^               |
      +---release-----+
    open|claimed --cancel--> cancelled      open --expire--> expired
    open --hand on across a link--> handed-on --returned--> open
                                    handed-on --done there--> done   (services/across.py)
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.aid import events, policy
from mutua.aid.models import Approval, Ask, AskEvent, AskStatus, Claim, ClaimOutcome
from mutua.aid.policy import Actor, Decision
from mutua.aid.selectors import active_helper_id
from mutua.core.errors import Conflict, InvalidTransition, NotAllowed
from mutua.people.models import User

_STATUS_MESSAGES = {
    AskStatus.CLAIMED: gettext_noop("Someone else has already taken this ask."),
    AskStatus.DONE: gettext_noop("This ask is already done."),
    AskStatus.CANCELLED: gettext_noop("This ask was cancelled."),
    AskStatus.EXPIRED: gettext_noop("This ask has expired."),
    AskStatus.OPEN: gettext_noop("Nobody has taken this ask yet."),
    AskStatus.HANDED_ON: gettext_noop("This ask was handed on to another server."),
}


def _status_message(status: str) -> str:
    return _(_STATUS_MESSAGES[AskStatus(status)])


def _check(decision: Decision) -> None:
    if not decision.allowed:
        raise NotAllowed(decision.message)


def _active_claim(ask: Ask) -> Claim | None:
    return ask.claims.filter(outcome=ClaimOutcome.ACTIVE).select_related("helper").first()


def _lock(ask: Ask) -> None:
    """Lock the ask's row until the transaction ends and read its current status.

    Release, done and cancel decide from the status and the active claim before they
    write; with the row locked no claim or release can land in between (a second click
    on "release" must not end the claim someone else took meanwhile). Every writer takes
    this row first, so they cannot deadlock. SQLite takes its write lock at BEGIN.
    """
    ask.status = Ask.objects.select_for_update().values_list("status", flat=True).get(pk=ask.pk)


def _move(ask: Ask, *, source: str, target: str) -> None:
    """Move the ask from `source` to `target` only if nobody moved it first.

    The conditional UPDATE is the lock: on SQLite and PostgreSQL alike, of two
    concurrent callers exactly one sees a row updated.
    """
    now = timezone.now()
    moved = Ask.objects.filter(pk=ask.pk, status=source).update(status=target, updated_at=now)
    if not moved:
        ask.refresh_from_db(fields=["status"])
        raise InvalidTransition(_status_message(ask.status))
    ask.status = target
    ask.updated_at = now


@transaction.atomic
def claim_ask(*, ask: Ask, helper: User) -> Claim:
    """Take an open ask, if `policy.may_take` lets this person (NotAllowed if not). Of many
    simultaneous claims exactly one succeeds; the others get Conflict with a message
    saying what happened."""
    _check(policy.may_take(ask=ask, user=helper))
    try:
        _move(ask, source=AskStatus.OPEN, target=AskStatus.CLAIMED)
    except InvalidTransition:
        if ask.status == AskStatus.CLAIMED and active_helper_id(ask) == helper.pk:
            raise InvalidTransition(_("You have already taken this ask.")) from None
        raise
    try:
        with transaction.atomic():
            # An asker who approves their helper first is asked before anything is shown.
            approval = Approval.WAITING if ask.approve_helper else Approval.NOT_NEEDED
            claim = Claim.objects.create(ask=ask, helper=helper, approval=approval)
    except IntegrityError:
        # Belt and braces: the partial unique index refuses a second active claim even if
        # a future change forgets the conditional update above.
        raise Conflict(_status_message(AskStatus.CLAIMED)) from None
    if ask.offered_until is not None:
        # Taken by the member whose offer it answers: nothing is held for them any more,
        # so a release puts it on the board like any ask.
        Ask.objects.filter(pk=ask.pk).update(offered_until=None)
        ask.offered_until = None
    events.announce(AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.CLAIMED, actor=helper))
    return claim


def _end_claim(ask: Ask, outcome: str) -> Claim | None:
    claim = _active_claim(ask)
    if claim is not None:
        claim.outcome = outcome
        claim.ended_at = timezone.now()
        claim.save(update_fields=["outcome", "ended_at"])
    return claim


@transaction.atomic
def release_ask(*, ask: Ask, helper: User) -> Ask:
    """Give a claimed ask back to the board. Only the helper who claimed it may."""
    _lock(ask)
    claim = _active_claim(ask)
    if claim is None or ask.status != AskStatus.CLAIMED:
        raise InvalidTransition(_("This ask is not claimed, so there is nothing to release."))
    _check(policy.may_release(claim=claim, user=helper))
    _move(ask, source=AskStatus.CLAIMED, target=AskStatus.OPEN)
    _end_claim(ask, ClaimOutcome.RELEASED)
    events.announce(AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.RELEASED, actor=helper))
    return ask


@transaction.atomic
def complete_ask(*, ask: Ask, actor: Actor) -> Ask:
    """Mark a claimed ask done: the helper who took it, or the person who asked (their
    account, the ask's key or the phone they asked from; see `policy.may_finish`)."""
    _lock(ask)
    if ask.status != AskStatus.CLAIMED:
        raise InvalidTransition(
            _status_message(ask.status)
            if ask.status != AskStatus.OPEN
            else _("Nobody has taken this ask yet, so it cannot be done.")
        )
    _check(policy.may_finish(ask=ask, claim=_active_claim(ask), actor=actor))
    _move(ask, source=AskStatus.CLAIMED, target=AskStatus.DONE)
    _end_claim(ask, ClaimOutcome.DONE)
    events.announce(AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.DONE, actor=actor.account))
    return ask


@transaction.atomic
def cancel_ask(*, ask: Ask, actor: Actor) -> Ask:
    """Withdraw an ask that is still open or claimed. Only the person who asked may
    (`policy.may_cancel`)."""
    _check(policy.may_cancel(ask=ask, actor=actor))
    _lock(ask)
    if ask.status not in (AskStatus.OPEN, AskStatus.CLAIMED):
        raise InvalidTransition(_status_message(ask.status))
    _move(ask, source=ask.status, target=AskStatus.CANCELLED)
    _end_claim(ask, ClaimOutcome.CANCELLED)
    events.announce(
        AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.CANCELLED, actor=actor.account)
    )
    return ask


def expire_asks(*, now: datetime | None = None) -> int:
    """Close open asks past their expiry; returns how many. Safe to run any number of times."""
    now = now or timezone.now()
    expired = 0
    for ask in Ask.objects.open().filter(expires_at__lte=now).only("pk", "status"):
        with transaction.atomic():
            try:
                _move(ask, source=AskStatus.OPEN, target=AskStatus.EXPIRED)
            except InvalidTransition:
                continue  # claimed or cancelled in the meantime: not ours to expire
            events.announce(AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.EXPIRED))
            expired += 1
    return expired
