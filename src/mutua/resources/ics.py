"""Calendar feeds (iCalendar, RFC 5545) of shifts, made with `icalendar`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from mutua.resources.selectors.shifts import ShiftDay


def shift_uid(day: ShiftDay) -> str:
    """Stable across feeds and fetches, so a calendar app updates an event in place."""
    return f"shift-{day.shift.pk}-{day.day.isoformat()}@{settings.MUTUA_SITE_NAME}"


def calendar(
    name: str, days: Iterable[ShiftDay], *, personal: bool = False, now: datetime | None = None
) -> bytes:
    """An iCalendar file of `days`; a personal feed says "you are down for it" where the
    group's feed gives the count."""
    cal = Calendar()
    cal.add("prodid", "-//mutua//shifts//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    for day in days:
        event = Event()
        event.add("uid", shift_uid(day))
        event.add("dtstamp", stamp)
        event.add("dtstart", day.begins.astimezone(UTC))
        event.add("dtend", day.ends.astimezone(UTC))
        event.add("summary", f"{day.shift.title} · {day.shift.group.name}")
        if day.shift.place:
            event.add("location", day.shift.place)
        if personal:
            description = _("You are down for this shift. To drop out, open the group's shifts.")
        else:
            description = _("%(taken)d of %(slots)d people down for it.") % {
                "taken": day.taken,
                "slots": day.shift.slots,
            }
        event.add("description", description)
        cal.add_component(event)
    return bytes(cal.to_ical())
