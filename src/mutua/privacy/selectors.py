"""Reads for privacy: who saw a person's details, their blocks, a group's reports."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from mutua.aid.disclosure import Seen
from mutua.aid.models import Ask
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.privacy.models import AccessLog, Block, Report


def views_of_my_asks(user: User, *, limit: int = 200) -> QuerySet[AccessLog]:
    """Every time someone was shown the details of the person's asks, newest first."""
    return AccessLog.objects.filter(ask__asker=user).select_related("viewer__profile", "ask")[
        :limit
    ]


def blocks_of(user: User) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("blocked__profile")


def is_blocked_pair(one: User, other: User) -> bool:
    """Whether either of the two blocked the other."""
    return Block.objects.filter(
        Q(blocker=one, blocked=other) | Q(blocker=other, blocked=one)
    ).exists()


def blocked_pairs(user_ids: list[int]) -> QuerySet[Block]:
    """Blocks between any of these people, in either direction."""
    return Block.objects.filter(Q(blocker_id__in=user_ids) | Q(blocked_id__in=user_ids))


def reports_for(group: Group) -> QuerySet[Report]:
    return Report.objects.filter(group=group).select_related(
        "ask", "offer", "member__profile", "reporter__profile"
    )


def _who(row: AccessLog) -> str:
    if row.viewer is not None:
        return row.viewer.display_name
    if row.reason == AccessLog.Reason.OTHER_GROUP:
        # Nobody clicked: the worker passed it on when the group's time to wait ran out.
        return _("Passed on automatically")
    return _("Whoever runs the server")


def seen_by(ask: Ask) -> list[Seen]:
    """Who was shown the ask's details and when, newest first, for the asker's page."""
    rows = (
        AccessLog.objects.filter(ask=ask)
        .exclude(reason=AccessLog.Reason.ASKER)
        .select_related("viewer__profile")
        .order_by("-at")
    )
    return [
        Seen(
            who=_who(row),
            at=row.at,
            why=row.get_reason_display(),
        )
        for row in rows[:100]
    ]
