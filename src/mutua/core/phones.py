"""Phone numbers, parsed with libphonenumber and kept in E.164 ("+447700900123").

A number written without its country code ("07700 900123") is read in the site's region
(MUTUA_PHONE_REGION). Two numbers are the same number only when their E.164 forms are
equal: comparing the last digits once let "+1 009122028" act for "+44 7700 9122028".
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings

from mutua.core.hashing import keyed_hash

# Carriers and gateways write WhatsApp senders as "whatsapp:+447700900123".
_CHANNEL_PREFIXES = ("whatsapp:", "tel:", "sms:")


class NotAPhoneNumber(ValueError):
    pass


def to_e164(raw: str, *, region: str | None = None) -> str:
    """`raw` as E.164, or NotAPhoneNumber when it is not a possible number.

    Possible, not valid: a number from a range not yet in libphonenumber's data still
    reaches a real person, and refusing it would shut them out.
    """
    value = raw.strip()
    for prefix in _CHANNEL_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :].strip()
    if value.startswith("00"):
        value = "+" + value[2:]
    try:
        number = phonenumbers.parse(value, region or settings.MUTUA_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise NotAPhoneNumber(raw) from None
    if not phonenumbers.is_possible_number(number):
        raise NotAPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164_or_empty(raw: str) -> str:
    try:
        return to_e164(raw)
    except NotAPhoneNumber:
        return ""


def same_number(a: str, b: str) -> bool:
    """Whether `a` and `b` are one number (both must parse; "" is nobody's number)."""
    first, second = e164_or_empty(a), e164_or_empty(b)
    return bool(first) and first == second


def lookup_hash(number: str) -> str:
    """The keyed hash that finds records by this number (E.164, or as given when it is not
    a number) without the number being stored in clear."""
    return keyed_hash(e164_or_empty(number) or number.strip(), purpose="phone")


def for_people(number: str) -> str:
    """`number` as people write it: the national form ("07700 900123") for a number of
    the site's own country, the international one ("+33 6 12 34 56 78") for any other.
    Something that is not a number is shown as it was given."""
    try:
        parsed = phonenumbers.parse(to_e164(number))
    except (NotAPhoneNumber, phonenumbers.NumberParseException):
        return number
    home = phonenumbers.country_code_for_region(settings.MUTUA_PHONE_REGION)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


def tel_uri(number: str) -> str:
    """A `tel:` link target that dials `number` from anywhere ("tel:+447700900123"), or
    "" when it is not a number."""
    e164 = e164_or_empty(number)
    return f"tel:{e164}" if e164 else ""
