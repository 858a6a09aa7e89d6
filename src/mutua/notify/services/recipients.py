"""Who is told, and how: a person's channels and quiet hours, and one event's message
queued for one person on each of their channels."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from mutua.aid.models import Ask
from mutua.core import geo
from mutua.notify import delivery, messages, selectors
from mutua.notify.models import Channel, Preference
from mutua.notify.services.outbox import queue_message
from mutua.people.models import User


@dataclass(frozen=True)
class Recipient:
    """Where one person is told, each empty when not on that channel."""

    user: User | None
    language: str
    email: str = ""
    phone: str = ""
    apprise_url: str = ""
    not_before: datetime | None = None


def after_quiet_hours(pref: Preference | None, now: datetime) -> datetime | None:
    """The end of the member's quiet hours if `now` falls in them, else None."""
    if pref is None or pref.quiet_from is None or pref.quiet_to is None:
        return None
    start, end = pref.quiet_from, pref.quiet_to
    if start == end:
        return None
    local = timezone.localtime(now)
    clock = local.time()
    if start < end:
        inside, day = start <= clock < end, local.date()
    else:  # overnight, e.g. 22:00 to 07:00
        inside = clock >= start or clock < end
        day = local.date() if clock < end else local.date() + timedelta(days=1)
    if not inside:
        return None
    return datetime.combine(day, end, tzinfo=local.tzinfo)


def member_recipient(user: User, *, now: datetime | None = None) -> Recipient:
    pref = selectors.preference_of(user)
    sms_on = pref is not None and pref.by_sms and bool(pref.phone) and delivery.sms_configured()
    return Recipient(
        user=user,
        language=selectors.language_of(user),
        email=user.email if pref is None or pref.by_email else "",
        phone=pref.phone if pref is not None and sms_on else "",
        apprise_url=pref.apprise_url if pref is not None else "",
        not_before=after_quiet_hours(pref, now or timezone.now()),
    )


def fastest_recipient(user: User, *, now: datetime | None = None) -> Recipient | None:
    """The member on the one channel that reaches them soonest among those they opted
    into (a text, then an app, then e-mail), for what cannot wait; None if none."""
    every = member_recipient(user, now=now)
    if every.phone:
        return replace(every, email="", apprise_url="")
    if every.apprise_url:
        return replace(every, email="", phone="")
    if every.email:
        return replace(every, phone="", apprise_url="")
    return None


def asker_recipient(ask: Ask) -> Recipient:
    """The person who asked: their settings if they have an account, else the contact they
    gave (a text only if they have texted the group themselves)."""
    if ask.asker is not None:
        return member_recipient(ask.asker)
    texted = bool(ask.contact_phone) and selectors.sender(ask.contact_phone) is not None
    return Recipient(
        user=None,
        language=ask.language,
        email=ask.contact_email,
        phone=ask.contact_phone if texted and delivery.sms_configured() else "",
    )


def tell(
    *, key: str, event: str, context: dict[str, Any], to: Recipient, reply_to: str = ""
) -> int:
    """Queue one event's message for one person on each of their channels; an e-mail's
    answer goes to `reply_to` when it is given."""
    if not (to.email or to.phone or to.apprise_url):
        return 0
    text = messages.render(event, context, language=to.language)
    queued = 0
    for channel, address in (
        (Channel.EMAIL, to.email),
        (Channel.SMS, to.phone),
        (Channel.APPRISE, to.apprise_url),
    ):
        if not address:
            continue
        body = text.short if channel == Channel.SMS else text.body
        queue_message(
            key=f"{key}:{channel}",
            channel=channel,
            to=address,
            subject=text.subject,
            body=body,
            user=to.user,
            not_before=to.not_before,
            reply_to=reply_to if channel == Channel.EMAIL else "",
        )
        queued += 1
    return queued


def fits(user: User, ask: Ask) -> bool:
    """Whether a new ask is near the member and of a kind they help with."""
    profile = getattr(user, "profile", None)
    if profile is None:
        return True
    if profile.paused or (profile.skills and ask.category not in profile.skills):
        return False
    if profile.home_lat is None or profile.home_lon is None:
        return True
    distance = geo.haversine_km(profile.home_lat, profile.home_lon, ask.public_lat, ask.public_lon)
    return bool(distance <= max(1, profile.travel_radius_km))
