"""Reads for governance: proposals and their positions, roles, trust, agreements, the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from mutua.core.errors import NotFound
from mutua.governance.models import (
    SETTINGS,
    Agreement,
    AgreementVersion,
    Comment,
    GroupSettings,
    LogEntry,
    Position,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Role,
    RoleTerm,
    Stance,
    TermStatus,
    Trust,
    setting_display,
)
from mutua.governance.outcome import Rules, Tally, agrees_needed
from mutua.groups.models import Group
from mutua.people.models import User


def group_settings(group: Group) -> GroupSettings:
    """The group's settings; the defaults (unsaved) if it never changed one."""
    # By id: assigning the group itself would cache these unsaved defaults on it.
    return GroupSettings.objects.filter(group=group).first() or GroupSettings(group_id=group.pk)


def setting_value(row: GroupSettings, key: str) -> str:
    """A setting as a proposal writes it: text, and "" for the site's default."""
    value = getattr(row, key)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class SettingRow:
    key: str
    label: str
    value: str


def setting_rows(group: Group) -> list[SettingRow]:
    """Every setting a proposal may change, with its value now, as people read it."""
    row = group_settings(group)
    return [
        SettingRow(key, str(spec.label), setting_display(key, setting_value(row, key)))
        for key, spec in SETTINGS.items()
    ]


def open_proposals(group: Group) -> QuerySet[Proposal]:
    """Open proposals, the nearest deadline first, with their counts of positions."""
    return (
        Proposal.objects.open()
        .filter(group=group)
        .with_tally()
        .select_related("author__profile")
        .order_by("deadline", "pk")
    )


def decided_proposals(group: Group) -> QuerySet[Proposal]:
    """Closed and withdrawn proposals, the most recent first."""
    return (
        Proposal.objects.filter(group=group)
        .exclude(status="open")
        .select_related("author__profile")
        .order_by("-decided_at", "-pk")
    )


def get_proposal(group: Group, proposal_id: int) -> Proposal:
    try:
        return Proposal.objects.select_related(
            "group", "author__profile", "subject__profile", "agreement", "other_group"
        ).get(group=group, pk=proposal_id)
    except Proposal.DoesNotExist:
        raise NotFound(str(proposal_id)) from None


def eligible_members(proposal: Proposal) -> QuerySet[User]:
    """Members who may take a position: joined before it opened; not the person a removal
    is about. Kept in step with policy.may_take_position."""
    qs = User.objects.filter(
        memberships__group_id=proposal.group_id,
        memberships__joined_at__lte=proposal.created_at,
    )
    if proposal.kind == ProposalKind.REMOVE_MEMBER and proposal.subject_id is not None:
        qs = qs.exclude(pk=proposal.subject_id)
    return qs


def counted_positions(proposal: Proposal) -> QuerySet[Position]:
    """Positions that count: those of members still eligible (someone who left no longer
    decides for the group)."""
    return Position.objects.filter(
        proposal=proposal, member__in=eligible_members(proposal).values("pk")
    )


def tally(proposal: Proposal) -> Tally:
    counts = dict(
        counted_positions(proposal)
        .order_by()
        .values_list("stance")
        .annotate(n=Count("pk"))
        .values_list("stance", "n")
    )
    return Tally(
        agree=counts.get(Stance.AGREE, 0),
        abstain=counts.get(Stance.ABSTAIN, 0),
        disagree=counts.get(Stance.DISAGREE, 0),
        block=counts.get(Stance.BLOCK, 0),
    )


def rules_of(proposal: Proposal) -> Rules:
    return Rules(
        min_agrees=proposal.min_agrees,
        majority_percent=proposal.majority_percent,
        second_round=proposal.rule == "consensus-majority",
    )


@dataclass(frozen=True)
class Standing:
    """Where an open proposal stands now."""

    tally: Tally
    eligible: int
    needed: int


def standing(proposal: Proposal) -> Standing:
    eligible = eligible_members(proposal).count()
    return Standing(
        tally=tally(proposal),
        eligible=eligible,
        needed=agrees_needed(rules_of(proposal), eligible),
    )


def positions(proposal: Proposal) -> QuerySet[Position]:
    return counted_positions(proposal).select_related("member__profile").order_by("updated_at")


def position_of(proposal: Proposal, user: User) -> Position | None:
    return Position.objects.filter(proposal=proposal, member=user).first()


def comments(proposal: Proposal) -> QuerySet[Comment]:
    return Comment.objects.filter(proposal=proposal).select_related("author__profile")


def versions(proposal: Proposal) -> QuerySet[ProposalVersion]:
    return ProposalVersion.objects.filter(proposal=proposal).select_related("editor__profile")


def active_terms(group: Group, *, at: datetime | None = None) -> QuerySet[RoleTerm]:
    """Roles held now, by members, in role order."""
    at = at or timezone.now()
    return (
        RoleTerm.objects.filter(
            group=group,
            status=TermStatus.ACTIVE,
            starts_at__lte=at,
            ends_at__gt=at,
            holder__memberships__group=group,
        )
        .select_related("holder__profile", "proposal")
        .order_by("role", "ends_at", "pk")
    )


def holders_by_role(group: Group) -> list[tuple[str, str, list[RoleTerm]]]:
    """(role, its name, the terms held now) for every role, held or not."""
    terms: dict[str, list[RoleTerm]] = {role: [] for role in Role.values}
    for term in active_terms(group):
        terms[term.role].append(term)
    return [(role, str(Role(role).label), terms[role]) for role in Role.values]


def past_terms(group: Group, *, limit: int = 30) -> QuerySet[RoleTerm]:
    return (
        RoleTerm.objects.filter(group=group)
        .exclude(status=TermStatus.ACTIVE)
        .select_related("holder__profile")
        .order_by("-ended_at", "-pk")[:limit]
    )


def members(group: Group) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__group=group)
        .select_related("profile")
        .order_by("profile__display_name", "email")
    )


@dataclass(frozen=True)
class TrustProgress:
    receiver: User
    role: str
    count: int
    threshold: int

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def pending_trust_count(group: Group, receiver: User, role: str) -> int:
    """Pending trust in `receiver` as `role` from people who are still members."""
    return Trust.objects.filter(
        group=group,
        receiver=receiver,
        role=role,
        spent_at__isnull=True,
        giver__memberships__group=group,
    ).count()


def trust_progress(group: Group) -> list[TrustProgress]:
    """Who is gathering trust for which role, and how far they are from the threshold."""
    settings = group_settings(group)
    rows = (
        Trust.objects.filter(
            group=group,
            spent_at__isnull=True,
            giver__memberships__group=group,
            receiver__memberships__group=group,
        )
        .values("receiver", "role")
        .annotate(n=Count("pk"))
        .order_by("-n", "role", "receiver")
    )
    people = User.objects.select_related("profile").in_bulk([row["receiver"] for row in rows])
    return [
        TrustProgress(
            receiver=people[row["receiver"]],
            role=row["role"],
            count=row["n"],
            threshold=settings.trust_to_take
            if row["role"] == Role.HELPER
            else settings.trust_threshold(row["role"]),
        )
        for row in rows
    ]


def trust_given_by(group: Group, giver: User) -> QuerySet[Trust]:
    return (
        Trust.objects.filter(group=group, giver=giver, spent_at__isnull=True)
        .select_related("receiver__profile")
        .order_by("role", "given_at")
    )


def agreements(group: Group) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(group=group, current_version__gt=0)
        .annotate(version_count=Count("versions"))
        .order_by("title", "pk")
    )


def get_agreement(group: Group, agreement_id: int) -> Agreement:
    try:
        return Agreement.objects.get(group=group, pk=agreement_id, current_version__gt=0)
    except Agreement.DoesNotExist:
        raise NotFound(str(agreement_id)) from None


def agreement_versions(agreement: Agreement) -> QuerySet[AgreementVersion]:
    return AgreementVersion.objects.filter(agreement=agreement).select_related("proposal")


def log(group: Group) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(group=group).select_related(
        "actor__profile",
        "subject__profile",
        "proposal__other_group",
        "term",
        "agreement_version",
    )


def group_page_language(user: User) -> str:
    """The default page language of the member's most local group that chose one, or ""."""
    chosen = (
        GroupSettings.objects.filter(group__memberships__user=user)
        .exclude(language="")
        .order_by("group__area_km2", "group_id")
        .values_list("language", flat=True)
        .first()
    )
    return chosen or ""


def pending_trust(group: Group) -> QuerySet[Trust, dict[str, Any]]:
    """Rows of receiver (user id), role and n: pending trust from current members."""
    return (
        Trust.objects.filter(group=group, spent_at__isnull=True, giver__memberships__group=group)
        .values("receiver", "role")
        .annotate(n=Count("pk"))
        .order_by("receiver", "role")
    )
