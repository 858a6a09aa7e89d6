"""Tell members about their group's decisions (the governance log's notification hook).

Kept apart from services.py, which is about asks and SMS; same rules: a message is queued
with an idempotency key, so announcing one log entry twice sends nothing twice.
"""

from __future__ import annotations

from django.urls import reverse

from mutua.governance.models import LogEntry, LogKind
from mutua.notify import messages
from mutua.notify.services import member_recipient, tell
from mutua.people.models import User

# What every member hears about: a proposal to take a position on, and how it ended.
_GROUP_WIDE = {
    LogKind.PROPOSAL_OPENED,
    LogKind.DEADLINE_NEAR,
    LogKind.SECOND_ROUND,
    LogKind.PROPOSAL_PASSED,
    LogKind.PROPOSAL_NOT_PASSED,
}
# What only the person it is about hears: their role, or a proposal to remove them.
_TO_SUBJECT = {
    LogKind.REMOVAL_PROPOSED,
    LogKind.ROLE_GRANTED,
    LogKind.ROLE_REVOKED,
    LogKind.ROLE_EXPIRED,
    LogKind.MEMBER_REMOVED,
}


def notify_group_event(*, entry: LogEntry) -> int:
    """Queue messages about one committed log entry; returns how many were queued."""
    people: list[User]
    if entry.kind in _GROUP_WIDE:
        members = User.objects.filter(memberships__group_id=entry.group_id, is_active=True)
        if entry.actor_id is not None:
            members = members.exclude(pk=entry.actor_id)  # they know what they did
        people = list(members.select_related("profile").order_by("pk"))
    elif entry.kind in _TO_SUBJECT and entry.subject is not None:
        people = [entry.subject]
    else:
        return 0
    slug = entry.group.slug
    path = (
        reverse("governance:proposal_detail", args=[slug, entry.proposal.pk])
        if entry.proposal is not None
        else reverse("governance:history", args=[slug])
    )
    context = {"entry": entry, "group": entry.group, "link": messages.link(path)}
    return sum(
        tell(
            key=f"group-log:{entry.pk}:{person.pk}",
            event="group_event",
            context=context,
            to=member_recipient(person),
        )
        for person in people
    )
