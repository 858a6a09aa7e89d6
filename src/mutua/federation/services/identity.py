"""This server's identity: its keys and the public document at /.well-known/mutua."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mutua.core import outbound
from mutua.core.errors import InvalidInput
from mutua.federation import crypto
from mutua.federation.models import EventKind, FederationEvent, Link, ServerKeys

PROTOCOL = "mutua-federation"
PROTOCOL_VERSION = 1
INBOX_PATH = "/api/v1/federation/inbox"
DOCUMENT_PATH = "/.well-known/mutua"
_TIMEOUT_SECONDS = 10


def server_keys() -> ServerKeys:
    """This server's key pair, made on first use. Two processes making it at once end
    with the same row: the second one's insert fails and it reads the first one's."""
    keys = ServerKeys.objects.order_by("pk").first()
    if keys is not None:
        return keys
    pair = crypto.new_key_pair()
    try:
        with transaction.atomic():
            if not ServerKeys.objects.exists():
                return ServerKeys.objects.create(
                    signing_private=pair.signing_private,
                    signing_public=pair.signing_public,
                    box_private=pair.box_private,
                    box_public=pair.box_public,
                )
    except IntegrityError:
        pass
    return ServerKeys.objects.order_by("pk").first() or ServerKeys.objects.get()


def public_url(fallback: str = "") -> str:
    """The address other servers reach this one at: MUTUA_PUBLIC_URL, else `fallback`
    (the address a request came to). InvalidInput when there is neither."""
    url = str(settings.MUTUA_PUBLIC_URL or fallback).rstrip("/")
    if not url:
        raise InvalidInput(
            _("Set MUTUA_PUBLIC_URL to the address other servers reach this one at."),
            field="url",
        )
    return url


def document(*, base_url: str) -> dict[str, Any]:
    """What /.well-known/mutua says: who this server is and how to talk to it."""
    keys = server_keys()
    return {
        "software": "mutua",
        "name": settings.MUTUA_SITE_NAME,
        "url": base_url,
        "protocol": PROTOCOL,
        "protocol_version": PROTOCOL_VERSION,
        "public_key": keys.signing_public,
        "key_id": crypto.key_id(keys.signing_public),
        "signature_algorithm": "ed25519",
        "encryption_key": keys.box_public,
        "encryption_algorithm": "x25519-chacha20poly1305",
        "inbox": base_url + INBOX_PATH,
    }


@dataclass(frozen=True)
class Peer:
    """Another server as its own document describes it."""

    url: str
    name: str
    signing_key: str
    box_key: str
    inbox: str

    @property
    def key_id(self) -> str:
        return crypto.key_id(self.signing_key)


def normalise_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if url.endswith(DOCUMENT_PATH):
        url = url.removesuffix(DOCUMENT_PATH)
    if not url.startswith(("http://", "https://")):
        raise InvalidInput(_("Give the server's address, starting with https://."), field="url")
    return url


def fetch_peer(url: str) -> Peer:
    """Read another server's /.well-known/mutua through the guarded outbound client.
    InvalidInput, in one line, when it cannot be read or is not a mutua server's."""
    url = normalise_url(url)
    try:
        answer = outbound.get(
            url + DOCUMENT_PATH,
            headers={"Accept": "application/json", "User-Agent": "mutua-federation/1"},
            timeout=_TIMEOUT_SECONDS,
        )
    except outbound.RefusedDestination as refused:
        raise InvalidInput(
            _("That address may not be called: %(why)s") % {"why": refused.reason}, field="url"
        ) from None
    except OSError as exc:
        raise InvalidInput(
            _("Cannot reach %(url)s: %(why)s") % {"url": url, "why": str(exc) or "error"},
            field="url",
        ) from None
    if answer.status != 200:
        raise InvalidInput(
            _("%(url)s answered %(status)d, not a mutua server's document.")
            % {"url": url, "status": answer.status},
            field="url",
        )
    try:
        data = json.loads(answer.body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("protocol") != PROTOCOL:
        raise InvalidInput(_("%(url)s is not a mutua server.") % {"url": url}, field="url")
    if data.get("protocol_version") != PROTOCOL_VERSION:
        raise InvalidInput(
            _("%(url)s speaks another version of the federation protocol.") % {"url": url},
            field="url",
        )
    fields = [data.get(name) for name in ("name", "public_key", "encryption_key", "inbox")]
    if not all(isinstance(value, str) and value for value in fields):
        raise InvalidInput(_("%(url)s sent an incomplete document.") % {"url": url}, field="url")
    name, signing_key, box_key, inbox = (str(value) for value in fields)
    if not (crypto.valid_public_key(signing_key) and crypto.valid_public_key(box_key)):
        raise InvalidInput(_("%(url)s sent keys that are not valid.") % {"url": url}, field="url")
    if not inbox.startswith(url + "/"):
        # The inbox must be on the server whose document named it: otherwise a document
        # could send this server's messages (with sealed contact details) anywhere.
        raise InvalidInput(_("%(url)s names an inbox on another server.") % {"url": url})
    return Peer(url=url, name=name[:120], signing_key=signing_key, box_key=box_key, inbox=inbox)


def pin(peer: Peer, *, now: datetime) -> Link:
    """The link with `peer`, made with its keys pinned, or the existing one if the keys
    are the ones pinned. InvalidInput if the server now shows other keys."""
    link = Link.objects.select_for_update().filter(url=peer.url).first()
    if link is None:
        link = Link.objects.select_for_update().filter(key_id=peer.key_id).first()
    if link is None:
        return Link.objects.create(
            url=peer.url,
            name=peer.name,
            key_id=peer.key_id,
            signing_key=peer.signing_key,
            box_key=peer.box_key,
            inbox=peer.inbox,
            pinned_at=now,
        )
    if (link.signing_key, link.box_key) != (peer.signing_key, peer.box_key):
        raise InvalidInput(
            _(
                "%(url)s now shows other keys than the ones pinned when the link was "
                "made; nothing was changed."
            )
            % {"url": peer.url},
            field="url",
        )
    return link


def log(link: Link | None, kind: EventKind, detail: str = "") -> FederationEvent:
    return FederationEvent.objects.create(link=link, kind=kind, detail=detail[:300])
