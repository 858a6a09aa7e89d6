"""Founding a group: its founder is its first member, and holds for the short bootstrap
term only roles that see nobody's details."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput
from mutua.governance.models import LogKind, Role, TermSource
from mutua.governance.services._common import _log, _now
from mutua.governance.services._terms import _start_term
from mutua.groups import services as group_services
from mutua.groups.models import Group, GroupKind
from mutua.people.models import User

# Group short names that would hide a page of the site (/groups/new/).
RESERVED_SLUGS = frozenset({"new"})

# What the founder holds until the group decides: proposals need no role, so only the
# welcome of the first members. Never a role that sees contacts or waiting texts (see
# SENSITIVE_ROLES): founding a group is open to anyone.
BOOTSTRAP_ROLES = (Role.WELCOMER,)


def _bootstrap_days() -> int:
    return int(settings.MUTUA_BOOTSTRAP_DAYS)


@transaction.atomic
def found_group(
    *,
    founder: User,
    name: str,
    cells: list[str],
    kind: str = GroupKind.WARD,
    description: str = "",
    now: datetime | None = None,
) -> Group:
    """Create a group with its founder as first member, holding BOOTSTRAP_ROLES for the
    short bootstrap term only (MUTUA_BOOTSTRAP_DAYS); the group grants every other role.

    The group receives routed asks only once established (see establishment)."""
    group = group_services.create_group(name=name, cells=cells, kind=kind, description=description)
    if group.slug in RESERVED_SLUGS:
        raise InvalidInput(
            _("Please choose another name: “%(name)s” is taken by a page of the site.")
            % {"name": group.name},
            field="name",
        )
    now = _now(now)
    group_services.join_group(group=group, user=founder)
    _log(group, LogKind.GROUP_FOUNDED, at=now, actor=founder)
    ends_at = now + timedelta(days=_bootstrap_days())
    for role in BOOTSTRAP_ROLES:
        _start_term(
            group=group,
            holder=founder,
            role=role,
            source=TermSource.BOOTSTRAP,
            starts_at=now,
            ends_at=ends_at,
            actor=founder,
        )
    return group
