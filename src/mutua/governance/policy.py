"""Who may do what in a group. Every role check in mutua is made here, nowhere else.

Nobody holds power permanently: a role counts only while its term runs (between
`starts_at` and `ends_at`, not revoked) and while its holder is still a member, whether
or not the expiry pass has run yet. Other apps ask `has_role` / `require_role`.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import NotAllowed
from mutua.governance.models import (
    SENSITIVE_ROLES,
    GroupSettings,
    Proposal,
    ProposalKind,
    Role,
    RoleTerm,
    TakeRule,
    TermStatus,
    Trust,
)
from mutua.groups.models import Group, Membership
from mutua.groups.selectors import is_member
from mutua.people.models import User


def require_member(user: User | None, group: Group) -> None:
    if not is_member(group=group, user=user):
        raise NotAllowed(
            _("Only members of %(group)s can do this. Joining is one click.")
            % {"group": group.name}
        )


def can_see_governance(user: User | None, group: Group) -> bool:
    """Proposals, roles and the group log are for members; agreements are public."""
    return is_member(group=group, user=user)


def _current_terms(group: Group, role: str, at: datetime) -> QuerySet[RoleTerm]:
    """Terms of `role` in `group` running at `at` whose holder is still a member."""
    return RoleTerm.objects.filter(
        group=group,
        role=role,
        status=TermStatus.ACTIVE,
        starts_at__lte=at,
        ends_at__gt=at,
        holder__memberships__group=group,
    )


def active_holders(group: Group, role: str, *, at: datetime | None = None) -> QuerySet[RoleTerm]:
    """The terms of `role` running now in `group`, held by members."""
    return _current_terms(group, role, at or timezone.now())


def has_role(user: User | None, group: Group, role: str, *, at: datetime | None = None) -> bool:
    """Whether `user` holds `role` in `group` now (or at `at`)."""
    if user is None or not user.is_authenticated:
        return False
    return _current_terms(group, role, at or timezone.now()).filter(holder=user).exists()


def may_act_as(user: User | None, group: Group, role: str) -> bool:
    """Whether `user` may do what `role` does in `group` now.

    The role's holders may. While nobody holds a role that sees no one's details, every
    member may, so a group is not locked out of keeping its ledger. A role that sees
    contacts or waiting texts (SENSITIVE_ROLES) has no such fallback: nobody acts as it
    until the group grants it.
    """
    if has_role(user, group, role):
        return True
    if role in SENSITIVE_ROLES or not is_member(group=group, user=user):
        return False
    return not _current_terms(group, role, timezone.now()).exists()


def may_dispatch(user: User | None, group: Group) -> bool:
    """Whether `user` may run dispatch for `group`: its dispatchers, or the dispatchers of
    a group containing it, when each group on the way granted that by a decision
    (the setting `parent_dispatch`). Nobody else, and nobody by default."""
    seen: set[int] = set()
    current: Group | None = group
    while current is not None and current.pk not in seen:
        if has_role(user, current, Role.DISPATCHER):
            return True
        seen.add(current.pk)
        if current.parent_id is None or _settings(current).parent_dispatch != "yes":
            return False
        current = Group.objects.filter(pk=current.parent_id).first()
    return False


def nobody_holds(group: Group, role: str) -> bool:
    return not _current_terms(group, role, timezone.now()).exists()


def _settings(group: Group) -> GroupSettings:
    return GroupSettings.objects.filter(group=group).first() or GroupSettings(group_id=group.pk)


def helper_trust(user: User, group: Group) -> int:
    """Trust as a helper that `user` holds in `group`: pending trust from current members."""
    return Trust.objects.filter(
        group=group,
        receiver=user,
        role=Role.HELPER,
        spent_at__isnull=True,
        giver__memberships__group=group,
    ).count()


def is_trusted(user: User | None, group: Group, *, settings: GroupSettings | None = None) -> bool:
    """Whether the group trusts `user` with its asks: a member who holds the helper role,
    or helper trust from at least `trust_to_take` members."""
    if not is_member(group=group, user=user):
        return False
    assert user is not None  # is_member
    if has_role(user, group, Role.HELPER):
        return True
    needed = (settings or _settings(group)).trust_to_take
    return helper_trust(user, group) >= needed


def meets_rule(user: User | None, group: Group, rule: TakeRule) -> bool:
    """Whether a member of `group` is let in by `rule` there. The member's verified
    e-mail or linked phone is checked by the caller (aid), which knows about them."""
    if rule == TakeRule.MEMBERS:
        return is_member(group=group, user=user)
    if rule == TakeRule.TRUSTED:
        return is_trusted(user, group)
    return has_role(user, group, Role.HELPER)


def require_role(user: User | None, group: Group, role: str) -> None:
    if not has_role(user, group, role):
        raise NotAllowed(
            _("Only the group's %(role)s can do this, and only during their term.")
            % {"role": Role(role).label}
        )


def may_take_position(user: User | None, proposal: Proposal) -> bool:
    """Members who joined before the proposal opened may take a position, except the
    member a removal is about (they answer in the comments). Joining is one click, so
    this stops accounts made for the occasion from deciding it."""
    if user is None or not user.is_authenticated:
        return False
    if proposal.kind == ProposalKind.REMOVE_MEMBER and proposal.subject_id == user.pk:
        return False
    return Membership.objects.filter(
        group_id=proposal.group_id, user=user, joined_at__lte=proposal.created_at
    ).exists()


def may_edit(user: User | None, proposal: Proposal) -> bool:
    """The author, while the first round is open."""
    return (
        user is not None
        and proposal.author_id == user.pk
        and proposal.is_open
        and proposal.round == 1
        and is_member(group=proposal.group, user=user)
    )
