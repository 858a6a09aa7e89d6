"""Reading an e-mail reply: a pure function, no database.

Mail clients quote the message they answer below (or above) the reply; only the new text
is relayed. What counts as the quote: lines starting with ">", and everything from the
first line that introduces one ("On Mon, 6 Dec 2026, X wrote:", "-----Original
Message-----", a signature's "-- ") or from the line of a client's own marker.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from html import unescape

# The start of the quoted message or a signature: the reply ends above it.
_QUOTE_HEADERS = re.compile(
    r"^(on\b.+\bwrote:?$|le\b.+\ba écrit\s?:?$|el\b.+\bescribió:?$|w dniu\b.+\bnapisał|"
    r"-{2,}\s*original message\s*-{2,}|-- ?$|_{10,}$|from:\s.+$|sent from my\b)",
    re.IGNORECASE,
)
MAX_RAW = 2_000_000


@dataclass(frozen=True)
class Reply:
    recipients: list[str]
    sender: str
    text: str


def _plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = str(part.get_content())
    if part.get_content_type() == "text/html":
        content = unescape(re.sub(r"<br\s*/?>|</p>|</div>", "\n", content, flags=re.IGNORECASE))
        content = re.sub(r"<[^>]+>", "", content)
    return content


def new_text(body: str) -> str:
    """The reply written above the quote, without the quote and the signature."""
    kept: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if _QUOTE_HEADERS.match(stripped):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def read_reply(raw: bytes) -> Reply:
    """The addresses a message was sent to (To, Cc, Delivered-To), who sent it and the new
    text of its reply. Never raises on a malformed message: its parts are then empty."""
    message = email.message_from_bytes(raw[:MAX_RAW], policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # the default policy makes EmailMessages
    headers = [
        str(value)
        for name in ("Delivered-To", "X-Original-To", "To", "Cc")
        for value in message.get_all(name, [])
    ]
    recipients = [address for _name, address in getaddresses(headers) if address]
    senders = getaddresses([str(message.get("From", ""))])
    try:
        text = new_text(_plain_text(message))
    except (LookupError, ValueError):  # an unknown charset or a broken part
        text = ""
    return Reply(recipients=recipients, sender=senders[0][1] if senders else "", text=text)
