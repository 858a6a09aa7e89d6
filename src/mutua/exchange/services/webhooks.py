"""Webhooks: a member registers an address for their group; when an ask of the group (or
of a group inside it) is made, taken or done, one delivery per webhook is recorded after
the change commits, and a background task posts it, signed. A failed attempt is retried
with growing delays (RETRY_DELAYS) with the same delivery id and the same body, so a
receiver that got it twice can tell; a delivered one is never sent again.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskEvent
from mutua.aid.shapes import public_ask
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.core.text import clean_text
from mutua.exchange import signing
from mutua.exchange.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent
from mutua.groups import selectors as group_selectors
from mutua.groups.models import Group
from mutua.people.models import User

logger = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last, give up.
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
MAX_WEBHOOKS_PER_GROUP = 10
_TIMEOUT_SECONDS = 10
_URL_MAX_LENGTH = 500
_EVENT_FOR_KIND = {
    AskEvent.Kind.CREATED: WebhookEvent.ASK_CREATED,
    AskEvent.Kind.CLAIMED: WebhookEvent.ASK_CLAIMED,
    AskEvent.Kind.DONE: WebhookEvent.ASK_DONE,
}
# The ask's status as of the event, whatever happened to it since.
_STATUS_AFTER = {
    WebhookEvent.ASK_CREATED: "open",
    WebhookEvent.ASK_CLAIMED: "claimed",
    WebhookEvent.ASK_DONE: "done",
}
_GROUP_DEPTH_LIMIT = 10


def _private_host(host: str) -> bool:
    lowered = host.lower().rstrip(".")
    if lowered == "localhost" or lowered.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        return not ipaddress.ip_address(lowered).is_global
    except ValueError:
        return False  # a name: its addresses are checked before each delivery


def _clean_url(url: str) -> str:
    url = url.strip()
    refused = InvalidInput(
        _("The address must be a full http:// or https:// URL, such as https://example.org/hook."),
        field="url",
    )
    if len(url) > _URL_MAX_LENGTH:
        raise InvalidInput(
            _("The address is too long (at most %(limit)d characters).")
            % {"limit": _URL_MAX_LENGTH},
            field="url",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
        host = urlsplit(url).hostname
    except (ValidationError, ValueError):
        raise refused from None
    if not host:
        raise refused
    if not settings.MUTUA_WEBHOOK_ALLOW_PRIVATE and _private_host(host):
        raise InvalidInput(
            _("Webhooks must go to a public address, not to this machine or a private network."),
            field="url",
        )
    return url


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    unknown = [e for e in chosen if e not in WebhookEvent.values]
    if unknown:
        raise InvalidInput(
            _("Unknown event: %(event)s (choose from %(known)s).")
            % {"event": unknown[0], "known": ", ".join(WebhookEvent.values)},
            field="events",
        )
    if not chosen:
        raise InvalidInput(_("Choose at least one event."), field="events")
    return [e for e in WebhookEvent.values if e in chosen]


@transaction.atomic
def register_webhook(
    *, group: Group, by: User, url: str, events: Iterable[str], description: str = ""
) -> Webhook:
    """Register an address to be told about the group's asks. Any member may.

    The secret for checking signatures is in the returned webhook; show it to the member
    once. Deliveries carry only what the public board shows, so no role is needed.
    """
    if not group_selectors.is_member(group=group, user=by):
        raise NotAllowed(_("Only members of %(group)s can add its webhooks.") % {"group": group})
    url = _clean_url(url)
    chosen = _clean_events(events)
    description = clean_text(description, field="description", label=_("description"), limit=200)
    # Lock the group's row so two registrations at once cannot both pass the count.
    Group.objects.select_for_update().filter(pk=group.pk).exists()
    if Webhook.objects.filter(group=group).count() >= MAX_WEBHOOKS_PER_GROUP:
        raise InvalidInput(
            _("A group can have at most %(limit)d webhooks; remove one first.")
            % {"limit": MAX_WEBHOOKS_PER_GROUP},
            field="url",
        )
    return Webhook.objects.create(
        group=group,
        url=url,
        secret=secrets.token_hex(32),
        events=chosen,
        description=description,
        created_by=by,
    )


def remove_webhook(*, webhook: Webhook, by: User) -> None:
    """Stop and delete a webhook, with its deliveries. Any member of its group may."""
    if not group_selectors.is_member(group=webhook.group, user=by):
        raise NotAllowed(
            _("Only members of %(group)s can remove its webhooks.") % {"group": webhook.group}
        )
    Webhook.objects.filter(pk=webhook.pk).delete()


def _public_ask(ask: Ask, status: str) -> dict[str, Any]:
    """The ask's public shape (see docs/WEBHOOKS.md), with the status it had at the event
    (whatever happened to it since) and its times as ISO 8601 text, the payload being
    stored as JSON."""
    shape = public_ask(ask)
    shape["status"] = status
    shape["created_at"] = ask.created_at.isoformat()
    shape["expires_at"] = ask.expires_at.isoformat()
    return shape


def _group_and_ancestors(group: Group) -> list[Group]:
    chain = [group]
    # A depth limit rather than trust: a parent loop made by hand must not hang a worker.
    while chain[-1].parent_id is not None and len(chain) < _GROUP_DEPTH_LIMIT:
        parent = chain[-1].parent
        if parent is None or parent in chain:
            break
        chain.append(parent)
    return chain


@transaction.atomic
def queue_ask_event(*, event_id: int) -> list[WebhookDelivery]:
    """Record one delivery for each webhook that wants this ask event; returns the new
    ones. Announcing the same event twice records nothing more."""
    if not Webhook.objects.exists():
        return []  # the common case, kept to one query: imports announce thousands
    event = AskEvent.objects.select_related("ask__group").filter(pk=event_id).first()
    if event is None or event.ask.group is None or event.kind not in _EVENT_FOR_KIND:
        return []
    name = _EVENT_FOR_KIND[AskEvent.Kind(event.kind)]
    hooks = Webhook.objects.filter(group__in=_group_and_ancestors(event.ask.group))
    created = []
    for hook in hooks:
        if name not in hook.events:
            continue
        delivery_id = uuid.uuid4()
        payload = {
            "id": str(delivery_id),
            "event": name.value,
            "occurred_at": event.at.isoformat(),
            "group": hook.group.slug,
            "ask": _public_ask(event.ask, _STATUS_AFTER[name]),
        }
        try:
            with transaction.atomic():
                delivery, is_new = WebhookDelivery.objects.get_or_create(
                    webhook=hook,
                    source=f"askevent:{event.pk}",
                    defaults={
                        "delivery_id": delivery_id,
                        "group": hook.group,
                        "event": name.value,
                        "payload": payload,
                    },
                )
        except IntegrityError:
            continue  # announced twice at once; the other announcement recorded it
        if is_new:
            created.append(delivery)
    return created


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead the server to an address the checks below never saw.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _destination_problem(url: str) -> str:
    """Why the server must not post to `url` now, or "" if it may."""
    if settings.MUTUA_WEBHOOK_ALLOW_PRIVATE:
        return ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        return f"cannot resolve {host}: {exc}"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return f"{host} resolves to a non-public address ({address})"
    return ""


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST and return (HTTP status, "") or (None, why it could not be sent)."""
    problem = _destination_problem(url)
    if problem:
        return None, problem
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (http(s) only: _clean_url)
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=_TIMEOUT_SECONDS) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except (OSError, ValueError) as exc:
        return None, str(exc) or type(exc).__name__


def attempt_delivery(*, delivery_pk: int) -> WebhookDelivery | None:
    """Send a pending delivery once and record how it went; None if it no longer exists.

    Not one transaction: the row is taken (pending -> sending) by a conditional update,
    so two workers never post the same delivery at once, and no database transaction is
    held open while waiting for the receiver.
    """
    now = timezone.now()
    taken = WebhookDelivery.objects.filter(pk=delivery_pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_pk).first()
    if delivery is None or not taken:
        return delivery  # removed, already delivered, given up, or being sent elsewhere
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "mutua-webhooks/1",
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.delivery_id),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(
            secret=delivery.webhook.secret, timestamp=timestamp, body=body
        ),
    }
    status, error = _post(delivery.webhook.url, body, headers)
    delivery.last_response_status = status
    delivery.last_error = error[:300] if error else ""
    if status is not None and 200 <= status < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif status == 410 or delivery.attempts >= MAX_ATTEMPTS:
        # 410 Gone: the receiver says the hook is no more; retrying would be noise.
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=RETRY_DELAYS[delivery.attempts - 1])
    delivery.save(
        update_fields=[
            "status",
            "last_response_status",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery
