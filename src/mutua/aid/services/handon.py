"""Handing an ask on: to another group on this server, by a click or once it has waited
longer than its group's time to wait, or to a linked server (`across`, which
mutua.federation carries).

Every hand-on shares one part (`begin_hand_on`, `record_hand_on`): the ask's row is
locked and must be open; the person passing it must be allowed to (aid.policy
.may_hand_on: the holding group's dispatchers, or a member of any group for an ask no
group holds); the ask's history gets an event; and, because the ask's details go with it
(to another group's roles, or another server), the access log records the move
(aid.disclosure.record_move, written by privacy). Between groups the ask stays open: only
the group holding it, and so who may take it and who may see its details, changes.

Safeguarding's routing rules hold: an ask is passed only to a group `selectors
.hand_on_targets` offers, an established group (members hold trust; the groups it
overlaps agreed) that the holding group is part of or whose area is near the ask.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid import disclosure, events, policy, selectors
from mutua.aid.disclosure import Move
from mutua.aid.models import Ask, AskEvent, AskStatus
from mutua.aid.services.lifecycle import _check, _lock, _status_message
from mutua.core.errors import DomainError, InvalidInput, InvalidTransition
from mutua.governance.models import GroupSettings, LogKind
from mutua.governance.services.history import record_in_history
from mutua.groups.models import Group
from mutua.people.models import User

logger = logging.getLogger(__name__)

# The access log's channel for a pass between groups (a linked server's is "federation").
CHANNEL = "hand-on"


def begin_hand_on(ask: Ask, *, actor: User | None) -> None:
    """The checks every hand-on makes first, holding the ask's row till commit: it is open,
    and `actor` may pass it on (None: the operator or the worker, who always may)."""
    _lock(ask)
    if ask.status != AskStatus.OPEN:
        raise InvalidTransition(
            _("Only an open ask can be handed on. %(why)s") % {"why": _status_message(ask.status)}
        )
    if actor is not None:
        _check(policy.may_hand_on(ask=ask, user=actor))


def record_hand_on(
    ask: Ask,
    *,
    kind: str,
    actor: User | None,
    move: Move,
    channel: str,
    from_group: Group | None = None,
    to_group: Group | None = None,
) -> AskEvent:
    """The ask's history and the access log, for a hand-on the caller has just made."""
    event = AskEvent.objects.create(
        ask=ask, kind=kind, actor=actor, from_group=from_group, to_group=to_group
    )
    disclosure.record_move(ask=ask, actor=actor, move=move, channel=channel)
    events.announce(event)
    return event


@transaction.atomic
def pass_to_group(*, ask: Ask, to_group: Group, actor: User | None) -> AskEvent:
    """Pass an open ask to another group on this server, which holds it from now on: its
    members may take it under its rules, its roles may see the details, and its
    dispatchers are told through its log. `actor` None is the worker (a group's waiting
    time ran out) or the operator. Refuses a group `hand_on_targets` does not offer."""
    begin_hand_on(ask, actor=actor)
    ask.refresh_from_db(fields=["group"])
    if to_group.pk not in {target.group.pk for target in selectors.hand_on_targets(ask)}:
        raise InvalidInput(
            _(
                "This ask cannot be passed to %(group)s: choose a group near it or one "
                "its group is part of."
            )
            % {"group": to_group.name},
            field="group",
        )
    from_group = ask.group
    now = timezone.now()
    # The row is locked, so the condition only guards against a change of plan above.
    Ask.objects.filter(pk=ask.pk, status=AskStatus.OPEN).update(
        group=to_group, area_name=to_group.name, updated_at=now
    )
    ask.group, ask.area_name, ask.updated_at = to_group, to_group.name, now
    event = record_hand_on(
        ask,
        kind=AskEvent.Kind.PASSED,
        actor=actor,
        move=Move.OTHER_GROUP,
        channel=CHANNEL,
        from_group=from_group,
        to_group=to_group,
    )
    # The receiving group hears of it through its log, which every member may read: the
    # ask's number only, never what it says.
    record_in_history(group=to_group, kind=LogKind.ASK_PASSED_IN, actor=actor, detail=f"#{ask.pk}")
    return event


def _automatic_target(ask: Ask) -> Group | None:
    """Where the worker passes an ask that waited too long: the nearest group the holding
    group is part of, else the nearest group around; never back to a group it has been
    with, so an ask nobody takes does not go round in circles."""
    been = selectors.groups_passed_through(ask)
    for target in selectors.hand_on_targets(ask):
        if target.group.pk not in been:
            return target.group
    return None


def pass_overdue(*, now: datetime | None = None) -> int:
    """Pass on every open ask that waited untaken in its group longer than the group's
    `hand_on_after_hours` (0, the default, never); returns how many were passed. The
    wait starts when the ask reached the group. Safe to run twice or late: an ask passed
    on has a new group and a new wait."""
    now = now or timezone.now()
    passed = 0
    for row in GroupSettings.objects.filter(hand_on_after_hours__gt=0).select_related("group"):
        cutoff = now - timedelta(hours=row.hand_on_after_hours)
        overdue = (
            Ask.objects.open()
            .filter(group_id=row.group_id)
            .annotate(
                arrived=Coalesce(
                    Max("events__at", filter=Q(events__kind=AskEvent.Kind.PASSED)), "created_at"
                )
            )
            .filter(arrived__lte=cutoff)
            .select_related("group")
            .only("pk", "status", "group", "public_lat", "public_lon")
            .order_by("pk")
        )
        for ask in overdue:
            target = _automatic_target(ask)
            if target is None:
                continue
            try:
                pass_to_group(ask=ask, to_group=target, actor=None)
            except DomainError:
                # Taken or closed meanwhile; a refusal is the next pass's to retry.
                logger.info("ask %s was not passed on from group %s", ask.pk, row.group.slug)
                continue
            passed += 1
    return passed
