"""Signed messages from other servers, at POST /api/v1/federation/inbox.

Every message is checked before anything is done with it, in this order, and every
refusal is logged (FederationEvent, and the server's log) without quoting the message:

1. its RFC 9421 signature names a key: a link's pinned key, or, for a first
   `link-request` only, the key of the server the message says it is from, read from that
   server's own /.well-known/mutua (and then pinned);
2. the signature verifies with that key, covers the method, the address, the content
   type and the body's digest, and was made within the last few minutes;
3. its nonce was never seen before (a replayed message is refused even while fresh);
4. the link is not refused by this side, and is active for anything but the link's
   own messages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mutua.core.errors import InvalidInput
from mutua.federation import crypto
from mutua.federation.models import EventKind, Link, SeenNonce, Side
from mutua.federation.services.figures import receive_figures
from mutua.federation.services.handon import receive_ask, receive_outcome
from mutua.federation.services.identity import Peer, fetch_peer, log, normalise_url, pin

logger = logging.getLogger(__name__)

MAX_BODY = 256 * 1024


@dataclass(frozen=True)
class Receipt:
    """The answer to the sending server: an HTTP status and a short reason."""

    status: int
    detail: str


class _Rejected(Exception):
    def __init__(self, status: int, detail: str, link: Link | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.link = status, detail, link


def receive(
    *, url: str, headers: Mapping[str, str], body: bytes, now: datetime | None = None
) -> Receipt:
    """Check and act on one message from another server; the Receipt is the answer."""
    now = now or timezone.now()
    plain_headers = dict(headers.items())
    try:
        message = _parse(body)
        link, signed = _authenticate(
            url=url, headers=plain_headers, body=body, message=message, now=now
        )
        with transaction.atomic():
            try:
                with transaction.atomic():
                    SeenNonce.objects.create(nonce=signed.nonce, key_id=signed.key_id)
            except IntegrityError:
                raise _Rejected(401, "replayed: this nonce was already used", link) from None
            detail = _act(link, message, now=now)
    except _Rejected as rejected:
        _log_rejection(rejected)
        return Receipt(rejected.status, rejected.detail)
    return Receipt(202, detail)


def _log_rejection(rejected: _Rejected) -> None:
    logger.warning("federation: message rejected (%s): %s", rejected.status, rejected.detail)
    log(rejected.link, EventKind.REJECTED, rejected.detail)


def _parse(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_BODY:
        raise _Rejected(413, "message too large")
    try:
        message = json.loads(body)
    except ValueError:
        raise _Rejected(400, "not JSON") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise _Rejected(400, "not a federation message")
    if not isinstance(message.get("from"), str):
        raise _Rejected(400, "the message does not say which server it is from")
    return message


def _authenticate(
    *, url: str, headers: dict[str, str], body: bytes, message: dict[str, Any], now: datetime
) -> tuple[Link, crypto.Signed]:
    try:
        claimed = crypto.signer_key_id(headers)
    except crypto.BadSignature as bad:
        raise _Rejected(401, f"bad signature: {bad}") from None
    link = Link.objects.filter(key_id=claimed).first()
    peer: Peer | None = None
    if link is None:
        if message["type"] != "link-request":
            raise _Rejected(401, "bad signature: no link with that key")
        peer = _first_contact(message["from"], claimed)
    signing_key = link.signing_key if link is not None else peer.signing_key if peer else ""
    try:
        signed = crypto.verify(
            method="POST", url=url, headers=headers, body=body, signing_public=signing_key
        )
    except crypto.BadSignature as bad:
        raise _Rejected(401, f"bad signature: {bad}", link) from None
    if link is None and peer is not None:
        with transaction.atomic():
            link = pin(peer, now=now)
    assert link is not None
    if link.ours == Side.REFUSED:
        raise _Rejected(403, "refused link: this server refused to link with yours", link)
    return link, signed


def _first_contact(sender: str, claimed_key_id: str) -> Peer:
    """The server a first link-request says it is from, as its own document describes
    it; the request must be signed with the key that document shows."""
    try:
        peer = fetch_peer(normalise_url(sender))
    except InvalidInput as problem:
        raise _Rejected(401, f"cannot read the sender's document: {problem.message}") from None
    if peer.key_id != claimed_key_id:
        raise _Rejected(401, "bad signature: not the key the sender's document shows")
    return peer


def _act(link: Link, message: dict[str, Any], *, now: datetime) -> str:
    kind = message["type"]
    if kind == "link-request":
        if link.theirs != Side.AGREED:
            link.theirs = Side.PENDING
            link.save(update_fields=["theirs", "updated_at"])
        log(link, EventKind.LINK_REQUESTED, link.url)
        return "link request noted"
    if kind in ("link-agreed", "link-refused"):
        agreed = kind == "link-agreed"
        link.theirs = Side.AGREED if agreed else Side.REFUSED
        link.save(update_fields=["theirs", "updated_at"])
        log(link, EventKind.THEY_AGREED if agreed else EventKind.THEY_REFUSED)
        return "decision noted"
    if not link.is_active:
        raise _Rejected(403, "refused link: the link is not agreed on both sides", link)
    try:
        if kind == "hand-on":
            return receive_ask(link=link, message=message, now=now)
        if kind == "outcome":
            return receive_outcome(link=link, message=message)
        if kind == "figures":
            return receive_figures(link=link, message=message, now=now)
    except InvalidInput as problem:
        raise _Rejected(422, problem.message, link) from None
    raise _Rejected(400, "unknown message type", link)
