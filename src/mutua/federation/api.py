"""Federation's API: the signed inbox other servers post to, the links, and handing an
ask on across a link. The server's public document is /.well-known/mutua (views.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from mutua.aid.selectors import get_ask
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.federation import selectors, services
from mutua.federation.models import HandOn, Link
from mutua.federation.schemas import CrossingIn, CrossingList, CrossingOut, InboxOut, LinkList
from mutua.people.auth import bearer
from mutua.people.models import User

router = Router(tags=["federation"])


def link_out(link: Link) -> dict[str, Any]:
    return {
        "id": link.pk,
        "name": link.name,
        "url": link.url,
        "key_id": link.key_id,
        "state": str(link.state),
        "ours": link.ours or "none",
        "theirs": link.theirs or "none",
        "group": link.group.slug if link.group else None,
        "pinned_at": link.pinned_at,
        "their_figures": link.their_figures,
        "figures_at": link.figures_at,
    }


def hand_on_out(hand_on: HandOn) -> dict[str, Any]:
    return {
        "crossing": hand_on.crossing_id,
        "ask": hand_on.ask_id,
        "link": hand_on.link_id,
        "direction": "sent" if hand_on.outgoing else "received",
        "outcome": hand_on.outcome,
        "created_at": hand_on.created_at,
        "updated_at": hand_on.updated_at,
    }


@router.post(
    "/inbox",
    response={
        202: InboxOut,
        400: InboxOut,
        401: InboxOut,
        403: InboxOut,
        413: InboxOut,
        422: InboxOut,
    },
    auth=None,
    summary="A signed message from a linked server",
)
def inbox(request: HttpRequest) -> Status[dict[str, str]]:
    """Server to server only: a JSON message signed with HTTP Message Signatures (RFC
    9421, Ed25519, tag `mutua-federation`) covering `@method`, `@target-uri`,
    `content-type` and `content-digest`, with `created` and a `nonce`. Unsigned, badly
    signed, old (more than 5 minutes), replayed (a nonce seen before) and refused-link
    messages are answered 401 or 403 and logged. See docs/FEDERATION.md."""
    url = services.public_url(request.build_absolute_uri("/")) + request.get_full_path()
    receipt = services.receive(url=url, headers=request.headers, body=request.body)
    return Status(receipt.status, {"detail": receipt.detail})


@router.get(
    "/links",
    response={200: LinkList, **errors(*TOKEN_ERRORS)},
    auth=bearer,
    summary="This server's links with other servers",
)
def list_links(request: HttpRequest) -> dict[str, Any]:
    """Each link, its pinned key and where each side stands: `state` is
    waiting-for-us, waiting-for-them, active or refused."""
    return {"items": [link_out(link) for link in selectors.links()]}


@router.post(
    "/hand-ons",
    response={201: CrossingOut, **errors(400, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Hand an ask on to a linked server",
)
def hand_on(request: HttpRequest, payload: CrossingIn) -> Status[dict[str, Any]]:
    """A dispatcher of the ask's group hands an open ask to the server at the other end
    of an active link. Its details cross sealed to that server's key; the access log
    and both servers' logs record it; `outcome` follows what that server does with it
    (sent, taken, done, returned)."""
    user: User = request.auth  # type: ignore[attr-defined]
    crossing = services.hand_on_across(
        ask=get_ask(payload.ask), link=selectors.get_link(payload.link), actor=user
    )
    return Status(201, hand_on_out(crossing))


@router.get(
    "/hand-ons/{int:ask_id}",
    response={200: CrossingList, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Where an ask went across links",
)
def hand_ons_of_ask(request: HttpRequest, ask_id: int) -> dict[str, Any]:
    """The crossings of one ask, oldest first: the path it took and what became of it."""
    get_ask(ask_id)
    return {"items": [hand_on_out(h) for h in selectors.hand_ons_of_ask(ask_id)]}
