"""Missed calls: a call to the group's number that nobody answered, or that ended in
voicemail, is answered with a text in the caller's language offering to text instead
(people who ring are often the ones who find a form or an app hardest)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mutua.core.phones import lookup_hash
from mutua.notify import delivery, messages, selectors
from mutua.notify.models import Channel
from mutua.notify.services.outbox import queue_message

logger = logging.getLogger(__name__)

# The call statuses of Twilio's status callback that mean nobody picked up.
MISSED = frozenset({"no-answer", "busy", "failed", "canceled"})
# Where a caller's language is not known from earlier texts or a linked account, the
# country of their number suggests one (among the languages the site offers).
COUNTRY_LANGUAGES = {
    "ES": "es", "MX": "es", "AR": "es", "CO": "es", "CL": "es", "PE": "es", "VE": "es",
    "FR": "fr", "BE": "fr", "SN": "fr", "CI": "fr", "CM": "fr", "PL": "pl",
    "SA": "ar", "EG": "ar", "MA": "ar", "DZ": "ar", "TN": "ar", "IQ": "ar", "SY": "ar",
    "JO": "ar", "LB": "ar", "YE": "ar", "SD": "ar", "LY": "ar", "AE": "ar", "KW": "ar",
}  # fmt: skip


def caller_language(phone: str, *, country: str = "") -> str:
    """The language to text a caller in: what their texts told us, their account's, their
    number's country's (if the site speaks it), else the site's."""
    sender = selectors.sender(phone)
    if sender is not None and sender.language:
        return sender.language
    member = selectors.member_by_phone(phone)
    if member is not None:
        return selectors.language_of(member)
    offered = {code for code, _name in settings.LANGUAGES}
    guess = COUNTRY_LANGUAGES.get(country.upper(), "")
    return guess if guess in offered else str(settings.LANGUAGE_CODE)


@transaction.atomic
def missed_call(
    *, call_sid: str, phone: str, status: str, voicemail: bool, country: str = ""
) -> bool:
    """Text the caller of a missed call (or one who left a voicemail) an offer to text
    instead; True when a text was queued. At most one a day to a number, so a provider's
    retries and a caller ringing again are not answered twice; a number that sent STOP
    gets nothing (the outbox skips it)."""
    if not phone or not (voicemail or status in MISSED):
        return False
    if not delivery.sms_configured():
        logger.warning("A missed call, but no SMS gateway is set up: no text offered.")
        return False
    day = timezone.localdate().isoformat()
    language = caller_language(phone, country=country)
    text = messages.render(
        "missed_call",
        {"number": settings.MUTUA_SMS_NUMBER, "site": settings.MUTUA_SITE_NAME},
        language=language,
    )
    queue_message(
        key=f"missed-call:{lookup_hash(phone)[:32]}:{day}",
        channel=Channel.SMS,
        to=phone,
        body=text.short,
    )
    logger.info("missed call %s: a text offered", call_sid[:64])
    return True
