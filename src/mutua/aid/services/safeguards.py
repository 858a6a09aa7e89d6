"""Writes that keep access to askers' details bounded: noting that a helper was shown
them, restoring a helper's paused claiming, and the asker's yes or no to a helper."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid import events, policy
from mutua.aid.models import (
    Approval,
    Ask,
    AskEvent,
    AskStatus,
    Claim,
    ClaimingRestored,
    ClaimOutcome,
)
from mutua.aid.policy import Actor
from mutua.aid.taking import is_suspended
from mutua.core.errors import InvalidTransition, NotAllowed
from mutua.governance import policy as governance
from mutua.governance.models import Role
from mutua.groups.models import Group
from mutua.people.models import User


def note_reveal(*, ask: Ask, helper: User, now: datetime | None = None) -> None:
    """Record the first time the helper holding the ask was shown its details: a release
    after that counts towards pausing their claiming. Called by the reveal service."""
    Claim.objects.filter(
        ask=ask, helper=helper, outcome=ClaimOutcome.ACTIVE, revealed_at__isnull=True
    ).update(revealed_at=now or timezone.now())


@transaction.atomic
def restore_claiming(
    *, group: Group, member: User, by: User, now: datetime | None = None
) -> ClaimingRestored:
    """Let a member whose claiming in the group is paused take asks again. Only a member
    holding the group's safeguarding role may; the row is the record members see."""
    if not governance.has_role(by, group, Role.SAFEGUARDING):
        raise NotAllowed(
            _("Only a member holding the safeguarding role in %(group)s can restore claiming.")
            % {"group": group.name}
        )
    if not is_suspended(member, group):
        raise InvalidTransition(
            _("%(name)s's claiming is not paused.") % {"name": member.display_name}
        )
    return ClaimingRestored.objects.create(
        group=group, member=member, by=by, at=now or timezone.now()
    )


@transaction.atomic
def ask_to_approve(*, ask: Ask, actor: Actor) -> Ask:
    """The asker chooses, after asking, to say yes to whoever offers before they see any
    detail (by text: CHOOSE and the ask's number). Only while nobody has taken it."""
    if not policy.is_asker(ask, actor):
        raise NotAllowed(_("Only the person who asked can choose this for the ask."))
    moved = Ask.objects.filter(pk=ask.pk, status=AskStatus.OPEN).update(approve_helper=True)
    if not moved:
        raise InvalidTransition(
            _("Someone has already taken this ask, or it is closed; it cannot change now.")
        )
    ask.approve_helper = True
    return ask


def _waiting_claim(ask: Ask, actor: Actor) -> Claim:
    if not policy.is_asker(ask, actor):
        raise NotAllowed(_("Only the person who asked can answer for this ask."))
    Ask.objects.select_for_update().filter(pk=ask.pk).values_list("status", flat=True).get()
    claim = (
        Claim.objects.filter(ask=ask, outcome=ClaimOutcome.ACTIVE, approval=Approval.WAITING)
        .select_related("helper")
        .first()
    )
    if claim is None:
        raise InvalidTransition(_("Nobody is waiting for your answer on this ask."))
    return claim


@transaction.atomic
def approve_helper(*, ask: Ask, actor: Actor) -> Claim:
    """The asker's yes (their account, the ask's private key or the phone they asked
    from): the helper who offered now sees the details and comes."""
    claim = _waiting_claim(ask, actor)
    claim.approval = Approval.APPROVED
    claim.save(update_fields=["approval"])
    events.announce(
        AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.APPROVED, actor=actor.account)
    )
    return claim


@transaction.atomic
def decline_helper(*, ask: Ask, actor: Actor) -> Claim:
    """The asker's no: the ask is open again, and that helper is never suggested for it
    nor may take it again."""
    claim = _waiting_claim(ask, actor)
    now = timezone.now()
    claim.outcome = ClaimOutcome.DECLINED
    claim.ended_at = now
    claim.save(update_fields=["outcome", "ended_at"])
    Ask.objects.filter(pk=ask.pk, status=AskStatus.CLAIMED).update(
        status=AskStatus.OPEN, updated_at=now
    )
    ask.status = AskStatus.OPEN
    events.announce(
        AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.DECLINED, actor=actor.account)
    )
    return claim


def declined_helper_ids(ask: Ask) -> set[int]:
    """Helpers the asker said no to for this ask."""
    return set(
        Claim.objects.filter(ask=ask, outcome=ClaimOutcome.DECLINED).values_list(
            "helper_id", flat=True
        )
    )
