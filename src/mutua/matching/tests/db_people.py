"""Members ready to help, and places around the test ward, for the database-side dispatch
tests. Profiles are set through the people service, as the profile form does."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django.utils import timezone

from mutua.core.tests.factories import HACKNEY, UserFactory
from mutua.governance.services import trust_by_operator
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.people.services import update_profile

# About 220 m and 1.5 km north of the ward's centre; Croydon is about 19 km south.
NEAR = (HACKNEY[0] + 0.002, HACKNEY[1])
FURTHER = (HACKNEY[0] + 0.0135, HACKNEY[1])
CROYDON = (51.3762, -0.0982)


def ready_to_help(
    user: User,
    *,
    home: tuple[float, float] | None = HACKNEY,
    skills: tuple[str, ...] = ("groceries",),
    radius_km: int = 3,
    languages: tuple[str, ...] = (),
    days: tuple[int, ...] = (),
    free_from: time | None = None,
    free_to: time | None = None,
    paused: bool = False,
    max_asks: int = 2,
) -> User:
    update_profile(
        user=user,
        display_name=user.profile.display_name,
        languages=list(languages),
        skills=list(skills),
        travel_radius_km=radius_km,
        home=home,
        available_days=list(days),
        available_from=free_from,
        available_to=free_to,
        paused=paused,
        max_asks_at_once=max_asks,
    )
    user.profile.refresh_from_db()
    return user


def new_member(group: Group, name: str, *, trusted: bool = True, **profile: Any) -> User:
    """A new account called `name`, in the group, ready to help as `profile` says; one
    the group trusts with its asks unless told otherwise."""
    user = UserFactory.create(email=f"{name.lower()}@example.org")
    user.profile.display_name = name
    user.profile.save()
    group_services.join_group(group=group, user=user)
    if trusted:
        trust_by_operator(group=group, member=user)
    return ready_to_help(user, **profile)


def local_midday(settings: Any) -> datetime:
    """Switch the site's time zone so that it is about midday there now, and return now.

    Availability is judged by today's local hours; midday keeps "earlier today" and
    "later today" on the same date whatever time the tests run.
    """
    hour = timezone.now().astimezone(UTC).hour
    offset = 12 - hour  # from -11 to +12; Etc/GMT signs are inverted by convention
    settings.TIME_ZONE = f"Etc/GMT{-offset:+d}" if offset else "UTC"
    return timezone.localtime()
