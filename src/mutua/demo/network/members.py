"""Members: planned from the seed, then bulk-inserted with their profiles and memberships
(the demo login goes through the real services)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from mutua.core import geo
from mutua.demo.network._common import _ascii, _near, _weighted
from mutua.demo.network.data import (
    DEMO_PASSWORD,
    FIRST_NAMES,
    INITIALS,
    LANGUAGES,
    MEMBER_DOMAIN,
    SKILL_WEIGHTS,
    WARD_RADIUS_KM,
)
from mutua.demo.network.plans import DemoPlan, MemberPlan, Progress
from mutua.groups import services as group_services
from mutua.groups.models import Group, Membership
from mutua.people import services as people_services
from mutua.people.models import Profile, User


def plan_member(
    rng: random.Random, number: int, ward: int, center: tuple[float, float]
) -> MemberPlan:
    first = _weighted(rng, LANGUAGES)
    languages = [first]
    if first != "en" and rng.random() < 0.75:
        languages.append("en")
    elif first == "en" and rng.random() < 0.08:
        languages.append(_weighted(rng, LANGUAGES[1:]))
    name = rng.choice(FIRST_NAMES[first])
    skills: list[str] = []
    for _n in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 5))):
        pool = [(s, w) for s, w in SKILL_WEIGHTS.items() if s not in skills]
        skills.append(_weighted(rng, pool))
    days = sorted(rng.sample(range(7), rng.randint(1, 7)))
    hours = rng.choice((None, None, (9, 17), (17, 21), (8, 12), (12, 18)))
    return MemberPlan(
        email=f"{_ascii(name)}.{number}@{MEMBER_DOMAIN}",
        display_name=f"{name} {rng.choice(INITIALS)}.",
        languages=sorted(set(languages)),
        skills=sorted(skills),
        travel_radius_km=rng.choice((1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 8, 10)),
        home=_near(rng, center, WARD_RADIUS_KM * 1.2),
        available_days=days,
        hours=hours,
        paused=rng.random() < 0.03,
        joined_days_ago=round(rng.uniform(1, 900), 3),
        ward=ward,
    )


def _chain(groups: list[Group], plan: DemoPlan, ward: int) -> list[Group]:
    """The ward, its area and the network: the groups a member of the ward joins."""
    chain = [groups[ward]]
    parent = plan.groups[ward].parent
    while parent is not None:
        chain.append(groups[parent])
        parent = plan.groups[parent].parent
    return chain


def create_members(
    plan: DemoPlan, groups: list[Group], now: datetime, progress: Progress
) -> dict[str, User]:
    progress.stage(_("Members"), len(plan.members) + 1)
    # Hashing a password costs about half a second by design (it slows down guessing);
    # doing it for 20,000 accounts would take hours. Demo accounts share one hash of the
    # published demo password, computed once.
    password = make_password(DEMO_PASSWORD)
    batch = 500
    for start in range(0, len(plan.members), batch):
        chunk = plan.members[start : start + batch]
        User.objects.bulk_create(
            [
                User(
                    email=m.email,
                    password=password,
                    date_joined=now - timedelta(days=m.joined_days_ago),
                )
                for m in chunk
            ]
        )
        # Read back rather than trust the ids on the objects: SQLite before 3.35 does not
        # return the ids of bulk-inserted rows.
        emails = [m.email for m in chunk]
        by_email = User.objects.filter(email__in=emails).in_bulk(field_name="email")
        profiles = []
        memberships = []
        for m in chunk:
            user = by_email[m.email]
            cell = geo.public_cell(*m.home)
            # Like update_profile: only the centre of a coarse cell, never the point itself.
            home_lat, home_lon = geo.cell_center(cell)
            profiles.append(
                Profile(
                    user=user,
                    display_name=m.display_name,
                    languages=m.languages,
                    skills=m.skills,
                    travel_radius_km=m.travel_radius_km,
                    home_cell=cell,
                    home_lat=home_lat,
                    home_lon=home_lon,
                    available_days=m.available_days,
                    available_from=clock(m.hours[0]) if m.hours else None,
                    available_to=clock(m.hours[1]) if m.hours else None,
                    paused=m.paused,
                )
            )
            memberships += [Membership(group=g, user=user) for g in _chain(groups, plan, m.ward)]
        Profile.objects.bulk_create(profiles)
        Membership.objects.bulk_create(memberships)
        progress.advance(len(chunk))

    demo = plan.demo_member
    user = people_services.create_account(
        email=demo.email, password=DEMO_PASSWORD, display_name=demo.display_name
    )
    people_services.update_profile(
        user=user,
        display_name=demo.display_name,
        languages=demo.languages,
        skills=demo.skills,
        travel_radius_km=demo.travel_radius_km,
        home=demo.home,
        available_days=demo.available_days,
        available_from=clock(demo.hours[0]) if demo.hours else None,
        available_to=clock(demo.hours[1]) if demo.hours else None,
    )
    for group in _chain(groups, plan, demo.ward):
        group_services.join_group(group=group, user=user)
    progress.advance()
    users: dict[str, User] = User.objects.filter(email__endswith=f"@{MEMBER_DOMAIN}").in_bulk(
        field_name="email"
    )
    users[user.email] = user
    return users
