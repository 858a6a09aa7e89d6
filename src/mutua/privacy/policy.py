"""Who may see an ask's private details (contact, address, exact place), and who may read
reports. Every reveal rule in mutua is here; pages, the API and exports ask `reveal_reason`.

The asker, the matched helper while their claim is active, and holders of a role the
group granted for it (safeguarding, hotline) see the details; everyone else, other
members included, sees the coarse view.
"""

from __future__ import annotations

from mutua.aid.models import Ask, AskStatus
from mutua.aid.selectors import active_helper_id, is_asker
from mutua.governance.models import Role
from mutua.governance.policy import has_role
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.privacy.models import AccessLog

# Roles a group grants that come with seeing the details of the group's asks.
REVEALING_ROLES = {
    Role.SAFEGUARDING: AccessLog.Reason.SAFEGUARDING,
    Role.HOTLINE: AccessLog.Reason.HOTLINE,
}


def reveal_reason(ask: Ask, *, user: User | None, key: str | None) -> str | None:
    """Why this person may see the ask's private details, or None if they may not."""
    if ask.personal_data_erased_at is not None:
        return None
    if is_asker(ask, user=user, key=key):
        return AccessLog.Reason.ASKER
    if user is None or not user.is_authenticated:
        return None
    if ask.status == AskStatus.CLAIMED and active_helper_id(ask) == user.pk:
        return AccessLog.Reason.HELPER
    if ask.group is not None:
        for role, reason in REVEALING_ROLES.items():
            if has_role(user, ask.group, role):
                return reason
    return None


def may_read_reports(user: User | None, group: Group) -> bool:
    return has_role(user, group, Role.SAFEGUARDING)
