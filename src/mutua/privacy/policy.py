"""Who may see an ask's private details (contact, address, exact place), and who may read
reports. Every reveal rule in mutua is `may_see_private`; pages, the API, text messages
and exports reach it through `privacy.services.reveal`, which also logs each reveal.

The asker, the matched helper while their claim is active, and holders of a role the
group granted for it (safeguarding, hotline) see the details; everyone else, other
members included, sees the coarse view. An export is made by whoever runs the server
(the `mutua export` command is the only way to the export channel).
"""

from __future__ import annotations

from mutua.aid.disclosure import Channel, Reveal
from mutua.aid.models import Approval, Ask, AskStatus
from mutua.aid.policy import Actor, is_asker
from mutua.aid.selectors import active_claim
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

# Why details are withheld (Reveal.reason when not allowed).
ERASED = "erased"
NOT_INVOLVED = "not-involved"
WAITING_FOR_ASKER = "waiting-for-asker"


def may_see_private(*, viewer: Actor, ask: Ask, channel: Channel) -> Reveal:
    """Whether `viewer` may see the ask's private details through `channel`, and why."""
    if ask.personal_data_erased_at is not None:
        return Reveal(False, ERASED)
    if channel == Channel.EXPORT:
        return Reveal(True, AccessLog.Reason.OPERATOR)
    if is_asker(ask, viewer):
        return Reveal(True, AccessLog.Reason.ASKER)
    user = viewer.account
    if user is None:
        return Reveal(False, NOT_INVOLVED)
    if ask.status == AskStatus.CLAIMED:
        claim = active_claim(ask)
        if claim is not None and claim.helper_id == user.pk:
            # An asker who approves their helper first shows nothing before their yes.
            if claim.approval == Approval.WAITING:
                return Reveal(False, WAITING_FOR_ASKER)
            return Reveal(True, AccessLog.Reason.HELPER)
    if ask.group is not None:
        for role, reason in REVEALING_ROLES.items():
            if has_role(user, ask.group, role):
                return Reveal(True, reason)
    return Reveal(False, NOT_INVOLVED)


def may_read_reports(user: User | None, group: Group) -> bool:
    return has_role(user, group, Role.SAFEGUARDING)
