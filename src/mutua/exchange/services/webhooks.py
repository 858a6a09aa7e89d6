"""Webhooks: a member registers an address for their group; when an ask of the group (or
of a group inside it) is made, taken or done, one delivery per webhook is recorded after
the change commits, and a background task posts it, signed (`deliveries`).

Adding, removing and a receiver's 410 stopping a webhook are lines in the group's
history: where the group's asks are sent is every member's business.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskEvent
from mutua.aid.shapes import public_ask
from mutua.core import outbound
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.core.text import clean_text
from mutua.exchange import signing
from mutua.exchange.models import Webhook, WebhookDelivery, WebhookEvent
from mutua.governance.models import LogKind
from mutua.governance.services import record_in_history
from mutua.groups import selectors as group_selectors
from mutua.groups.models import Group
from mutua.people.models import User

MAX_WEBHOOKS_PER_GROUP = 10
# After a rotation the old secret keeps signing for this long, beside the new one.
ROTATION_OVERLAP = timedelta(hours=24)
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
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except (ValidationError, ValueError):
        raise refused from None
    if not host:
        raise refused
    # Checked again at every delivery, at the address actually connected to.
    if outbound.names_private_target(host, port):
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
    hook = Webhook.objects.create(
        group=group,
        url=url,
        secret=signing.new_secret(),
        events=chosen,
        description=description,
        created_by=by,
    )
    record_in_history(group=group, kind=LogKind.WEBHOOK_ADDED, actor=by, detail=host_of(hook))
    return hook


def host_of(webhook: Webhook) -> str:
    """What the group's history names a webhook by: its host, never the whole address
    (a path or query may hold the receiver's own token)."""
    return urlsplit(webhook.url).hostname or ""


def _members_only(webhook: Webhook, by: User, message: str) -> None:
    if not group_selectors.is_member(group=webhook.group, user=by):
        raise NotAllowed(message % {"group": webhook.group})


@transaction.atomic
def remove_webhook(*, webhook: Webhook, by: User) -> None:
    """Stop and delete a webhook, with its deliveries. Any member of its group may."""
    _members_only(webhook, by, _("Only members of %(group)s can remove its webhooks."))
    record_in_history(
        group=webhook.group, kind=LogKind.WEBHOOK_REMOVED, actor=by, detail=host_of(webhook)
    )
    Webhook.objects.filter(pk=webhook.pk).delete()


@transaction.atomic
def rotate_webhook_secret(*, webhook: Webhook, by: User) -> Webhook:
    """Give the webhook a new secret and return it (show the secret once). For
    ROTATION_OVERLAP both secrets sign every delivery, so the receiver can switch over
    without missing one. Any member of its group may."""
    _members_only(webhook, by, _("Only members of %(group)s can change its webhooks."))
    hook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    hook.previous_secret = hook.secret
    hook.previous_secret_until = timezone.now() + ROTATION_OVERLAP
    hook.secret = signing.new_secret()
    hook.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return hook


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
    hooks = Webhook.objects.filter(
        group__in=_group_and_ancestors(event.ask.group), disabled_at__isnull=True
    )
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
