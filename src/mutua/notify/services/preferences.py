"""How a member wants to be told things, and linking their phone by texting a code."""

from __future__ import annotations

import secrets
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput
from mutua.core.phones import lookup_hash
from mutua.core.text import clean_text, is_language_code
from mutua.notify import delivery, sms
from mutua.notify.models import InboundSms, NearbyAsks, Preference
from mutua.people.models import User

LINK_CODE_LIFETIME = timedelta(hours=1)
LINK_TRIES = 5  # LINK texts from one number in LINK_CODE_LIFETIME


@transaction.atomic
def update_preferences(
    *,
    user: User,
    by_email: bool,
    by_sms: bool,
    apprise_url: str,
    language: str,
    quiet_from: time | None,
    quiet_to: time | None,
    nearby_asks: str,
) -> Preference:
    """Save how the member wants to be told things."""
    apprise_url = clean_text(
        apprise_url, field="apprise_url", label=_("Apprise address"), limit=500
    )
    if apprise_url and not delivery.is_usable_apprise_url(apprise_url):
        raise InvalidInput(
            _("Apprise cannot send to that address. See the Apprise documentation for the form."),
            field="apprise_url",
        )
    if apprise_url and delivery.apprise_private_host(apprise_url):
        raise InvalidInput(
            _(
                "That address points at this server or a private network; notifications "
                "can only go to services on the internet."
            ),
            field="apprise_url",
        )
    language = language.strip()
    if language and not is_language_code(language):
        raise InvalidInput(_("Language must be a code such as en or pt-BR."), field="language")
    if nearby_asks not in NearbyAsks.values:
        raise InvalidInput(_("Choose how to hear of new asks."), field="nearby_asks")
    if (quiet_from is None) != (quiet_to is None):
        raise InvalidInput(_("Give both ends of the quiet hours, or neither."), field="quiet_to")
    pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
    if by_sms and not pref.phone:
        raise InvalidInput(_("Link your phone first to get text messages."), field="by_sms")
    pref.by_email = by_email
    pref.by_sms = by_sms
    pref.apprise_url = apprise_url
    pref.language = language
    pref.quiet_from = quiet_from
    pref.quiet_to = quiet_to
    pref.nearby_asks = nearby_asks
    pref.save()
    return pref


@transaction.atomic
def start_phone_link(*, user: User) -> Preference:
    """A fresh code for the member to text as `LINK <code>` from the phone to link."""
    pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
    now = timezone.now()
    # Eight digits, valid for an hour: too many to guess by texting, easy on a keypad; and
    # never the code of someone else's link that is still running.
    valid = Preference.objects.filter(link_code_expires_at__gt=now).exclude(pk=pref.pk)
    code = f"{secrets.randbelow(10**8):08d}"
    while valid.filter(link_code=code).exists():
        code = f"{secrets.randbelow(10**8):08d}"
    pref.link_code = code
    pref.link_code_expires_at = now + LINK_CODE_LIFETIME
    pref.save(update_fields=["link_code", "link_code_expires_at", "updated_at"])
    return pref


@transaction.atomic
def unlink_phone(*, user: User) -> Preference:
    pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
    pref.phone = ""
    pref.phone_hash = ""
    pref.phone_linked_at = None
    pref.by_sms = False
    pref.save(update_fields=["phone", "phone_hash", "phone_linked_at", "by_sms", "updated_at"])
    return pref


def link_phone(*, phone: str, code: str) -> User | None:
    """The member whose running link code this is, their phone now linked to `phone`; None
    for a wrong or expired code, or after too many tries from the number. Runs in the
    caller's transaction (the text being answered)."""
    now = timezone.now()
    digest = lookup_hash(phone)
    tries = InboundSms.objects.filter(
        phone_hash=digest, command=sms.LINK, received_at__gte=now - LINK_CODE_LIFETIME
    )
    if tries.count() >= LINK_TRIES:
        return None  # guessing codes from one number is cut short
    pref = (
        Preference.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(link_code=code, link_code_expires_at__gt=now, user__is_active=True)
        .first()
    )
    if pref is None:
        return None
    # The number now belongs to whoever last showed they hold it.
    Preference.objects.filter(phone_hash=digest).exclude(pk=pref.pk).update(
        phone="", phone_hash="", phone_linked_at=None, by_sms=False
    )
    pref.phone = phone
    pref.phone_hash = digest
    pref.phone_linked_at = now
    pref.by_sms = True
    pref.link_code = ""
    pref.link_code_expires_at = None
    pref.save()
    return pref.user
