"""What the server's operator does from the command line: seating the first members a
group trusts, recorded in the group's history as the operator's doing."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput
from mutua.governance import selectors
from mutua.governance.models import Role, RoleTerm, TermSource
from mutua.governance.services._common import _check_role, _now
from mutua.governance.services._terms import _start_term
from mutua.governance.services.establishment import establish_if_ready
from mutua.groups.models import Group
from mutua.groups.selectors import is_member
from mutua.people.models import User


@transaction.atomic
def trust_by_operator(
    *, group: Group, member: User, role: str = Role.HELPER, now: datetime | None = None
) -> RoleTerm:
    """Give a member a role of the group for one term, as the server's operator: by
    default the trusted helper, which satisfies every rule a group may set for taking
    asks. The group log says the operator gave it, and the group can take it back by a
    decision like any role. For `mutua createuser --trusted` and the demo network."""
    if not is_member(group=group, user=member):
        raise InvalidInput(_("Only a member of the group can be trusted with its asks."))
    now = _now(now)
    term = _start_term(
        group=group,
        holder=member,
        role=_check_role(role),
        source=TermSource.OPERATOR,
        starts_at=now,
        ends_at=now + timedelta(days=selectors.group_settings(group).role_term_days),
    )
    establish_if_ready(group=group, now=now)
    return term
