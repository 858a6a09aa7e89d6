"""The webhooks API: a group's members register, list and remove its webhooks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from mutua.core.errors import InvalidInput, NotAllowed, NotFound
from mutua.core.pagination import paginate
from mutua.core.schemas import TOKEN_ERRORS, PageQuery, errors
from mutua.exchange import selectors, services
from mutua.exchange.models import Webhook, WebhookDelivery
from mutua.exchange.schemas import (
    DeliveryPage,
    SecretRotatedOut,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
    WebhookPage,
    WebhookQuery,
)
from mutua.groups import selectors as group_selectors
from mutua.groups.models import Group
from mutua.people.auth import bearer
from mutua.people.models import User

router = Router(tags=["webhooks"])


def _webhook(hook: Webhook) -> dict[str, Any]:
    return {
        "id": hook.pk,
        "group": hook.group.slug,
        "url": hook.url,
        "events": hook.events,
        "description": hook.description,
        "created_at": hook.created_at,
        "disabled_at": hook.disabled_at,
    }


def _delivery(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.delivery_id,
        "event": delivery.event,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_response_status": delivery.last_response_status,
        "last_error": delivery.last_error,
        "next_attempt_at": delivery.next_attempt_at,
        "delivered_at": delivery.delivered_at,
        "created_at": delivery.created_at,
    }


def _members_only(group: Group, user: User) -> None:
    if not group_selectors.is_member(group=group, user=user):
        raise NotAllowed(_("Only members of %(group)s see its webhooks.") % {"group": group.name})


def _visible_webhook(webhook_id: int, user: User) -> Webhook:
    hook = selectors.get_webhook(webhook_id)
    _members_only(hook.group, user)
    return hook


@router.get(
    "",
    response={200: WebhookPage, **errors(400, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="A group's webhooks",
)
def list_webhooks(request: HttpRequest, filters: Query[WebhookQuery]) -> dict[str, Any]:
    """The webhooks of one of your groups, newest first (without their secrets)."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_selectors.group_by_slug(filters.group)
    _members_only(group, user)
    items, cursor = paginate(
        selectors.webhooks_of(group), cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [_webhook(h) for h in items], "next": cursor}


@router.post(
    "",
    response={201: WebhookCreatedOut, **errors(400, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Add a webhook",
)
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Status[dict[str, Any]]:
    """Any member may add one for their group (at most 10 a group). Deliveries are signed
    JSON posts with what the public board shows about the ask, never contact details;
    see docs/WEBHOOKS.md. The `secret` is in this answer only."""
    user: User = request.auth  # type: ignore[attr-defined]
    try:
        group = group_selectors.group_by_slug(payload.group)
    except NotFound:
        raise InvalidInput(
            _("There is no group with the short name %(slug)s.") % {"slug": payload.group},
            field="group",
        ) from None
    hook = services.register_webhook(
        group=group,
        by=user,
        url=payload.url,
        events=payload.events,
        description=payload.description,
    )
    return Status(201, {**_webhook(hook), "secret": hook.secret})


@router.get(
    "/{int:webhook_id}",
    response={200: WebhookOut, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="One webhook",
)
def get_webhook(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    """A webhook of one of your groups."""
    user: User = request.auth  # type: ignore[attr-defined]
    return _webhook(_visible_webhook(webhook_id, user))


@router.delete(
    "/{int:webhook_id}",
    response={204: None, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Remove a webhook",
)
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status[None]:
    """Any member of the group may remove it; nothing more is sent to it."""
    user: User = request.auth  # type: ignore[attr-defined]
    services.remove_webhook(webhook=selectors.get_webhook(webhook_id), by=user)
    return Status(204, None)


@router.post(
    "/{int:webhook_id}/rotate-secret",
    response={200: SecretRotatedOut, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Rotate a webhook's secret",
)
def rotate_secret(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    """A new secret, shown only in this answer. For a day both the new and the old secret
    sign each delivery (two signatures in webhook-signature), so the receiver can switch
    over without missing one."""
    user: User = request.auth  # type: ignore[attr-defined]
    hook = services.rotate_webhook_secret(webhook=selectors.get_webhook(webhook_id), by=user)
    return {"secret": hook.secret, "previous_valid_until": hook.previous_secret_until}


@router.get(
    "/{int:webhook_id}/deliveries",
    response={200: DeliveryPage, **errors(400, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="A webhook's deliveries",
)
def deliveries(request: HttpRequest, webhook_id: int, page: Query[PageQuery]) -> dict[str, Any]:
    """What was sent to the webhook, newest first: status, attempts, the last answer."""
    user: User = request.auth  # type: ignore[attr-defined]
    hook = _visible_webhook(webhook_id, user)
    items, cursor = paginate(selectors.deliveries_of(hook), cursor=page.cursor, limit=page.limit)
    return {"items": [_delivery(d) for d in items], "next": cursor}
