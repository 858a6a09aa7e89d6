"""When a shift happens: its days and the moments it starts and ends, in the site's time
zone (MUTUA_TIME_ZONE). Pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def days_of(
    weekdays: list[int], first_day: date, last_day: date | None, start: date, end: date
) -> Iterator[date]:
    """The days from `start` to `end` (both included) on which the shift runs."""
    day = max(start, first_day)
    stop = min(end, last_day) if last_day is not None else end
    wanted = set(weekdays)
    while day <= stop:
        if day.weekday() in wanted:
            yield day
        day += timedelta(days=1)


def span(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    """The start and end of the shift on `day`, aware; a shift ending at or before its start
    time ends the next day."""
    zone = site_zone()
    begin = datetime.combine(day, starts, tzinfo=zone)
    finish_day = day + timedelta(days=1) if ends <= starts else day
    return begin, datetime.combine(finish_day, ends, tzinfo=zone)


def runs_on(weekdays: list[int], first_day: date, last_day: date | None, day: date) -> bool:
    return any(days_of(weekdays, first_day, last_day, day, day))
