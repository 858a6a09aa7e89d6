"""Message texts, one template per event and language (templates/notify/messages/).

`<event>.txt` is the long form (email, apps): its first line is the subject. `<event>.sms.txt`
is the short form for a text message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    short: str


def render(event: str, context: dict[str, Any], *, language: str) -> Rendered:
    with translation.override(language):
        long_form = render_to_string(f"notify/messages/{event}.txt", context)
        short = render_to_string(f"notify/messages/{event}.sms.txt", context)
    subject, _newline, body = long_form.strip().partition("\n")
    return Rendered(subject=subject.strip()[:200], body=body.strip(), short=" ".join(short.split()))


def link(path: str) -> str:
    """An absolute link to a page, or "" when the site's public address is not set."""
    base = str(settings.MUTUA_PUBLIC_URL)
    return f"{base}{path}" if base else ""
