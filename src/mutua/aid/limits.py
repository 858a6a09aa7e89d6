"""Limits on asks made without an account.

Asking must stay easy: no account, no questions. But with no limit at all one script can
fill a group's board (200 asks in a row were once accepted). So an anonymous ask counts
against the network address it came from (an hour) and against each contact it gives (a
day); signed-in members are not limited here (their API tokens have their own limit).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from mutua.core import limits
from mutua.core.phones import e164_or_empty

_HOUR = 60 * 60
_DAY = 24 * _HOUR


def _contacts(phone: str, email: str) -> list[str]:
    found = []
    number = e164_or_empty(phone) if phone.strip() else ""
    if number:
        found.append(number)
    if email.strip():
        found.append(email.strip().lower())
    return found


def check_anonymous_ask(*, client: str, phone: str, email: str) -> None:
    """Raise limits.TooMany, with a message for the asker, if this ask would pass a limit."""
    wait = limits.reached(
        "ask-address", client, limit=settings.MUTUA_ANONYMOUS_ASKS_PER_ADDRESS, seconds=_HOUR
    )
    if wait:
        raise limits.TooMany(
            _(
                "Many asks have come from your connection in the last hour, so we cannot take "
                "another just now. Please try again in %(minutes)d minutes, or sign in."
            )
            % {"minutes": max(1, wait // 60)},
            retry_after=wait,
        )
    for contact in _contacts(phone, email):
        wait = limits.reached(
            "ask-contact", contact, limit=settings.MUTUA_ANONYMOUS_ASKS_PER_CONTACT, seconds=_DAY
        )
        if wait:
            raise limits.TooMany(
                _(
                    "Many asks have been made with these contact details today. Your earlier "
                    "asks are still on the board; please try again tomorrow, or sign in."
                ),
                retry_after=wait,
                field="contact",
            )


def record_anonymous_ask(*, client: str, phone: str, email: str) -> None:
    limits.record("ask-address", client, seconds=_HOUR)
    for contact in _contacts(phone, email):
        limits.record("ask-contact", contact, seconds=_DAY)
