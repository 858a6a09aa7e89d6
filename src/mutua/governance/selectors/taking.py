"""Reads about who may take a group's asks and whether asks come to it yet: its trusted
members, the groups whose area it shares and their agreement, the summary its pages show."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings as django_settings
from django.db.models import Count, QuerySet

from mutua.governance.models import Proposal, ProposalKind, Role, Trust, setting_display
from mutua.governance.selectors import active_terms, group_settings, members
from mutua.groups import selectors as group_selectors
from mutua.groups.models import Group
from mutua.people.models import User


def trusted_members(group: Group) -> list[User]:
    """Members the group trusts with its asks (see policy.is_trusted), by name."""
    needed = group_settings(group).trust_to_take
    counts = dict(
        Trust.objects.filter(
            group=group,
            role=Role.HELPER,
            spent_at__isnull=True,
            giver__memberships__group=group,
            receiver__memberships__group=group,
        )
        .values_list("receiver")
        .annotate(n=Count("pk"))
        .values_list("receiver", "n")
    )
    ids = {pk for pk, n in counts.items() if n >= needed}
    ids |= set(active_terms(group).filter(role=Role.HELPER).values_list("holder_id", flat=True))
    return list(members(group).filter(pk__in=ids))


def trusted_count(group: Group) -> int:
    return len(trusted_members(group))


def area_agreed_by(new_group: Group) -> set[int]:
    """Ids of the groups that agreed, by a passed decision, that `new_group` takes asks in
    the area it shares with them."""
    return set(
        Proposal.objects.filter(
            kind=ProposalKind.AGREE_AREA, status="passed", other_group=new_group
        ).values_list("group_id", flat=True)
    )


def groups_asking_to_share(group: Group) -> QuerySet[Group]:
    """New groups, not yet established, whose area overlaps this group's."""
    return group_selectors.overlapping_groups(group, established=False)


def overlaps_waiting(group: Group) -> list[Group]:
    """Established groups whose area this one overlaps and which have not agreed to share
    it, themselves or through a group containing them.

    A group placed inside a network (only whoever runs the server sets a group's parent)
    has its network's agreement for the groups of that network; a group founded on the
    site has no parent, so it needs a decision of each group it overlaps."""
    agreed = area_agreed_by(group)
    mine = {g.pk for g in group_selectors.ancestors_of(group)}
    waiting = []
    for other in group_selectors.overlapping_groups(group):
        theirs = {other.pk} | {g.pk for g in group_selectors.ancestors_of(other)}
        if agreed.isdisjoint(theirs) and mine.isdisjoint(theirs):
            waiting.append(other)
    return waiting


@dataclass(frozen=True)
class TakeSummary:
    """Who may take the group's asks, and whether asks come to it yet: for its page, its
    roles page and the API."""

    rule: str
    rule_label: str
    trust_to_take: int
    trusted_categories: str
    role_categories: str
    established: bool
    trusted: list[User]
    needed_to_establish: int
    waiting_for: list[Group]


def take_summary(group: Group) -> TakeSummary:
    row = group_settings(group)
    trusted = trusted_members(group)
    return TakeSummary(
        rule=row.who_may_take,
        rule_label=setting_display("who_may_take", row.who_may_take),
        trust_to_take=row.trust_to_take,
        trusted_categories=setting_display("trusted_categories", row.trusted_categories),
        role_categories=setting_display("role_categories", row.role_categories),
        established=group.is_established,
        trusted=trusted,
        needed_to_establish=int(django_settings.MUTUA_ESTABLISH_TRUSTED),
        waiting_for=[] if group.is_established else overlaps_waiting(group),
    )
