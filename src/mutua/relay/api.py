"""GET and POST /api/v1/asks/{id}/messages: the relay conversation, for the helper (token)
and the person who asked (token or the ask's private key)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import AuthenticationError

from mutua.aid.policy import Actor
from mutua.aid.selectors import get_ask
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.people.auth import OPTIONAL_TOKEN, optional_user
from mutua.relay import selectors, services
from mutua.relay.models import Via
from mutua.relay.schemas import ConversationOut, MessageIn, MessageOut
from mutua.relay.shapes import conversation_out, message_out

router = Router(tags=["messages"])


def _actor(request: HttpRequest, key: str | None) -> Actor:
    actor = Actor(user=optional_user(request), key=key)
    if actor.account is None and not key:
        raise AuthenticationError()
    return actor


@router.get(
    "/{int:ask_id}/messages",
    response={200: ConversationOut, **errors(404, *TOKEN_ERRORS)},
    auth=None,
    summary="The conversation about an ask",
    openapi_extra=OPTIONAL_TOKEN,
)
def read_messages(request: HttpRequest, ask_id: int, key: str | None = None) -> dict[str, Any]:
    """The messages between the person who asked (token or `key`) and the helper (token),
    oldest first; the group's dispatchers see them while the claim is active. No message
    holds a phone number, e-mail or address: they are taken out when written."""
    ask = get_ask(ask_id)
    return conversation_out(selectors.conversation(ask=ask, actor=_actor(request, key)))


@router.post(
    "/{int:ask_id}/messages",
    response={201: MessageOut, **errors(400, 404, 409, *TOKEN_ERRORS)},
    auth=None,
    summary="Write in the conversation about an ask",
    openapi_extra=OPTIONAL_TOKEN,
)
def write_message(
    request: HttpRequest, ask_id: int, payload: MessageIn, key: str | None = None
) -> Status[dict[str, Any]]:
    """Relay a message to the other side, by the way they chose to hear from the group.
    409 once the claim has ended (the conversation is closed)."""
    ask = get_ask(ask_id)
    message = services.post_message(
        ask=ask, actor=_actor(request, key), body=payload.body, via=Via.API
    )
    return Status(201, message_out(message))
