"""Calendar feeds (iCalendar, RFC 5545) of shifts and gatherings, made with `icalendar`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from mutua.resources.models import Gathering
from mutua.resources.selectors.shifts import ShiftDay


def shift_uid(day: ShiftDay) -> str:
    """Stable across feeds and fetches, so a calendar app updates an event in place."""
    return f"shift-{day.shift.pk}-{day.day.isoformat()}@{settings.MUTUA_SITE_NAME}"


def gathering_uid(gathering: Gathering) -> str:
    return f"gathering-{gathering.pk}@{settings.MUTUA_SITE_NAME}"


def _gathering_event(gathering: Gathering, stamp: datetime, description: str) -> Event:
    event = Event()
    event.add("uid", gathering_uid(gathering))
    event.add("dtstamp", stamp)
    event.add("dtstart", gathering.starts_at.astimezone(UTC))
    event.add("dtend", gathering.ends_at.astimezone(UTC))
    event.add("summary", f"{gathering.title} · {gathering.group.name}")
    event.add("location", gathering.place)
    event.add("description", description)
    return event


def calendar(
    name: str,
    days: Iterable[ShiftDay],
    *,
    personal: bool = False,
    gatherings: Iterable[Gathering] = (),
    now: datetime | None = None,
) -> bytes:
    """An iCalendar file of shift `days` and `gatherings`; a personal feed says "you are
    down for it" where the group's feed gives the count."""
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
    for gathering in gatherings:
        # Never who else comes: a gathering may keep its attendance private.
        said = _("You said you are coming.") if personal else gathering.description
        cal.add_component(_gathering_event(gathering, stamp, said))
    return bytes(cal.to_ical())
