"""Links with other servers: proposed here, decided by a group's proposal on each side.

Each server's operator runs `mutua federation link URL --group SLUG --by EMAIL`: this
reads the other server's /.well-known/mutua, pins its keys, tells it that this server
asks to link, and opens a proposal in the group. When the proposal passes, this side
has agreed and says so to the other server; when it does not pass, this side has
refused. The link is active when both sides have agreed.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput
from mutua.federation.models import EventKind, Link, Side
from mutua.federation.services.identity import Peer, fetch_peer, log, pin, public_url
from mutua.federation.services.outbox import queue
from mutua.governance import services as governance
from mutua.governance.models import ProposalKind
from mutua.groups.models import Group
from mutua.people.models import User

DEFAULT_DAYS = 7


def propose_link(
    *, url: str, group: Group, by: User, days: int = DEFAULT_DAYS, now: datetime | None = None
) -> Link:
    """Pin the keys of the server at `url`, ask it to link, and open a proposal in
    `group` (by `by`, a member) to agree. InvalidInput, in one line, for anything that
    stops it (the server cannot be read, its keys changed, this side already agreed)."""
    now = now or timezone.now()
    ours = public_url()
    # Read before the transaction: no database lock is held while the other server answers.
    peer = fetch_peer(url)
    if peer.url == ours:
        raise InvalidInput(_("That is this server's own address."), field="url")
    with transaction.atomic():
        return _propose(peer, group=group, by=by, days=days, now=now)


def _propose(peer: Peer, *, group: Group, by: User, days: int, now: datetime) -> Link:
    link = pin(peer, now=now)
    if link.ours in (Side.PENDING, Side.AGREED):
        raise InvalidInput(
            _("A link with %(name)s is already %(state)s.")
            % {"name": link.name, "state": link.get_ours_display()},
            field="url",
        )
    proposal = governance.open_proposal(
        group=group,
        author=by,
        kind=ProposalKind.GENERAL,
        title=_("Link with the mutua server %(name)s") % {"name": peer.name},
        text=_(
            "Link this server with %(name)s (%(url)s), run by another group. Once both "
            "sides agree, our groups can hand asks we cannot meet to theirs and they to "
            "ours; the contact details of such an ask go only to that server, sealed to "
            "its key, and each crossing is logged on both sides."
        )
        % {"name": peer.name, "url": peer.url},
        days=days,
        now=now,
    )
    link.group, link.proposal, link.ours = group, proposal, Side.PENDING
    link.save(update_fields=["group", "proposal", "ours", "updated_at"])
    log(link, EventKind.LINK_PROPOSED, peer.url)
    queue(link=link, kind="link-request", payload={})
    return link


@transaction.atomic
def decided(*, proposal_id: int, passed: bool | None) -> Link | None:
    """A group's proposal to link was decided: `passed` True agrees, False refuses, None
    (withdrawn) leaves this side undecided. The other server is told. None when the
    proposal was not a link's."""
    link = Link.objects.select_for_update().filter(proposal_id=proposal_id).first()
    if link is None or link.ours != Side.PENDING:
        return link
    if passed is None:
        link.ours = Side.UNKNOWN
        link.save(update_fields=["ours", "updated_at"])
        return link
    link.ours = Side.AGREED if passed else Side.REFUSED
    link.save(update_fields=["ours", "updated_at"])
    log(link, EventKind.WE_AGREED if passed else EventKind.WE_REFUSED)
    queue(link=link, kind="link-agreed" if passed else "link-refused", payload={})
    return link
