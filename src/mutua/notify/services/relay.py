"""Passing relayed messages on: a message written in an ask's conversation goes to the
other side by the ways they chose to hear from the group, and texts and e-mail replies
come back into the conversation (mutua.relay owns the conversation and its rules)."""

from __future__ import annotations

from mutua.aid.selectors import asker_key
from mutua.notify import mail, messages
from mutua.notify.services.recipients import Recipient, asker_recipient, member_recipient, tell
from mutua.relay import selectors as relay_selectors
from mutua.relay import services as relay_services
from mutua.relay.models import RelayMessage, Side
from mutua.relay.shapes import author_name, sms_reference


def relay_key_prefix(ask_id: int) -> str:
    """What the outbox keys of an ask's relayed messages start with (the purge uses it)."""
    return f"relay:{ask_id}:"


def relay_message(*, message_id: int) -> int:
    """Queue the relayed message for the other side (both sides, for a dispatcher's);
    returns how many messages were queued. Safe to call twice: the outbox keys repeat."""
    message = (
        RelayMessage.objects.select_related("claim__helper__profile", "ask__asker", "author")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return 0  # purged before it was passed on
    claim, ask = message.claim, message.ask
    readers: list[tuple[Side, Recipient, str]] = []
    if message.side != Side.ASKER:
        link = f"/asks/{ask.pk}/messages/"
        if not ask.asker_id:
            link += f"?key={asker_key(ask)}"
        readers.append((Side.ASKER, asker_recipient(ask), link))
    if message.side != Side.HELPER:
        readers.append((Side.HELPER, member_recipient(claim.helper), f"/asks/{ask.pk}/messages/"))
    queued = 0
    for side, recipient, path in readers:
        context = {
            "ask": ask,
            "ref": sms_reference(ask.pk),
            "sender": author_name(message) or message.get_side_display(),
            "body": message.body,
            "link": messages.link(path),
            "reply_by_email": bool(relay_selectors.reply_address(claim=claim, side=side)),
        }
        queued += tell(
            key=f"{relay_key_prefix(ask.pk)}{message.pk}:{side}",
            event="relay_message",
            context=context,
            to=recipient,
            reply_to=relay_selectors.reply_address(claim=claim, side=side),
        )
    return queued


def receive_mail(*, raw: bytes, recipient: str = "") -> RelayMessage:
    """An e-mail reply, as the mail server received it: relayed into the conversation its
    reply address stands for (`recipient`, else the message's own To and Cc)."""
    reply = mail.read_reply(raw)
    addresses = [recipient] if recipient else reply.recipients
    address = next(
        (a for a in addresses if relay_selectors.claim_for_reply(a) is not None),
        addresses[0] if addresses else "",
    )
    return relay_services.post_email_reply(address=address, body=reply.text)
