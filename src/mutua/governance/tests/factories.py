"""Shortcuts for governance tests: members, proposals, and letting a deadline pass."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from mutua.core.tests.factories import UserFactory
from mutua.governance import services
from mutua.governance.models import GroupSettings, Proposal
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import User


def member_of(group: Group, name: str = "") -> User:
    user = UserFactory.create(**({"email": f"{name}@example.org"} if name else {}))
    if name:
        user.profile.display_name = name.title()
        user.profile.save()
    group_services.join_group(group=group, user=user)
    return user


def set_rules(group: Group, **fields: Any) -> GroupSettings:
    """Set a group's rules directly (tests only: members change them by proposal)."""
    row, _created = GroupSettings.objects.update_or_create(group=group, defaults=fields)
    return row


def propose(group: Group, author: User, kind: str = "general", **fields: Any) -> Proposal:
    fields.setdefault("title", "Buy a chest freezer for the hub")
    fields.setdefault("text", "Donated food keeps longer; the church hall has a socket.")
    fields.setdefault("days", 7)
    return services.open_proposal(group=group, author=author, kind=kind, **fields)


def agree(proposal: Proposal, *members: User) -> None:
    for member in members:
        services.take_position(proposal=proposal, member=member, stance="agree")


def deadline_passes(proposal: Proposal) -> None:
    """Bring the current round's deadline to a moment ago, as if its days had gone by."""
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    proposal.refresh_from_db()


def decide(proposal: Proposal) -> Proposal:
    """Let the deadline pass and run the deadline pass, as the worker does at the deadline."""
    deadline_passes(proposal)
    services.run_due()
    proposal.refresh_from_db()
    return proposal
