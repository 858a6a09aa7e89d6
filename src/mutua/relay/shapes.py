"""How a relayed message is shown on every channel: by side and display name, never by
a contact detail."""

from __future__ import annotations

from typing import Any

from mutua.relay.models import RelayMessage, Side
from mutua.relay.selectors import Conversation


def sms_reference(ask_id: int) -> str:
    """The short reference a text starts with to join the ask's conversation: "#A12"."""
    return f"#A{ask_id}"


def author_name(message: RelayMessage) -> str | None:
    """The helper's or dispatcher's display name; the person who asked stays unnamed
    (their name is part of the contact details the helper sees through a reveal)."""
    if message.side == Side.ASKER or message.author is None:
        return None
    return str(message.author.display_name)


def message_out(message: RelayMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "side": message.side,
        "author": author_name(message),
        "body": message.body,
        "via": message.via,
        "at": message.created_at,
    }


def conversation_out(conversation: Conversation) -> dict[str, Any]:
    return {
        "ask": conversation.ask.pk,
        "claim": conversation.claim.pk if conversation.claim else None,
        "side": conversation.side,
        "open": conversation.open,
        "sms_reference": sms_reference(conversation.ask.pk),
        "items": [message_out(m) for m in conversation.messages],
    }
