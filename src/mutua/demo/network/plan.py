"""Planning: pure, deterministic for a seed; nothing touches the database."""

from __future__ import annotations

import random

from mutua.aid.models import AskStatus, OfferKind
from mutua.core.categories import Category
from mutua.demo.network._common import _distance, _fill, _gb_places, _near, _weighted
from mutua.demo.network.asks import plan_ask
from mutua.demo.network.data import (
    AREA_RADIUS_KM,
    DEMO_EMAIL,
    LONDON,
    OFFER_TEXTS,
    SIZES,
    STATE_WEIGHTS,
    UNROUTED_MIN_KM,
    WARD_RADIUS_KM,
)
from mutua.demo.network.groups import plan_groups
from mutua.demo.network.incident import plan_flood_asks
from mutua.demo.network.members import plan_member
from mutua.demo.network.plans import AskPlan, DemoPlan, MemberPlan, OfferPlan
from mutua.groups.models import GroupKind


def plan_demo(*, seed: int, size: str, expiry_days: int) -> DemoPlan:
    """Everything the demo will contain, decided from the seed alone."""
    spec = SIZES[size]
    rng = random.Random(seed)
    groups = plan_groups(spec)
    wards = [i for i, g in enumerate(groups) if g.kind == GroupKind.WARD]
    ward_weights = [rng.uniform(0.6, 1.4) for _n in wards]

    members: list[MemberPlan] = []
    by_ward: dict[int, list[MemberPlan]] = {w: [] for w in wards}
    for number in range(1, spec.members + 1):
        ward = rng.choices(wards, weights=ward_weights)[0]
        member = plan_member(rng, number, ward, groups[ward].center)
        members.append(member)
        by_ward[ward].append(member)

    # The demo login lives in the ward nearest the centre of London.
    demo_ward = min(wards, key=lambda w: (_distance(LONDON, groups[w].center), w))
    demo_member = MemberPlan(
        email=DEMO_EMAIL,
        display_name="Sam (demo)",
        languages=["en", "es"],
        skills=sorted([Category.GROCERIES, Category.PRESCRIPTIONS, Category.CHECK_IN]),
        travel_radius_km=3,
        home=groups[demo_ward].center,
        available_days=[0, 2, 5],
        hours=(17, 21),
        paused=False,
        joined_days_ago=120.0,
        ward=demo_ward,
    )

    states = [_weighted(rng, STATE_WEIGHTS) for _n in range(spec.asks)]
    asks: list[AskPlan] = []
    area_centers = [g.center for g in groups if g.kind == GroupKind.AREA]
    london = [p for p in _gb_places() if _distance(LONDON, (p.lat, p.lon)) <= 17]
    # Places inside the network but outside every area: their asks reach the network.
    between = [
        p
        for p in london
        if all(_distance(c, (p.lat, p.lon)) > AREA_RADIUS_KM + 1.5 for c in area_centers)
    ]
    by_area: dict[int, list[MemberPlan]] = {}
    for ward in wards:
        by_area.setdefault(groups[ward].parent or 0, []).extend(by_ward[ward])
    areas = sorted(by_area)
    # Most asks come from inside a ward; some from the parts of an area no ward covers
    # yet, and a few from between the areas, where only the network itself is.
    network_asks, area_asks = max(1, spec.asks // 25), max(1, spec.asks // 10)
    for index, state in enumerate(states):
        if index < network_asks:
            spot = rng.choice(between)
            place, town, pool = _near(rng, (spot.lat, spot.lon), 0.5), spot.name, members
        elif index < network_asks + area_asks:
            area = rng.choice(areas)
            place = _near(rng, groups[area].center, AREA_RADIUS_KM)
            town, pool = groups[area].place, by_area[area]
        else:
            ward = rng.choices(wards, weights=[len(by_ward[w]) + 1 for w in wards])[0]
            place = _near(rng, groups[ward].center, WARD_RADIUS_KM * 0.8)
            town = groups[ward].place
            pool = by_ward[ward] if len(by_ward[ward]) >= 3 else members
        asks.append(
            plan_ask(
                rng,
                place=place,
                town=f"{town}, London",
                members=pool,
                state=state,
                expiry_days=expiry_days,
            )
        )

    # The demo login has work to see: asks it holds, asks it finished, one of its own.
    neighbours = by_ward[demo_ward] if len(by_ward[demo_ward]) >= 3 else members
    demo_center = groups[demo_ward].center
    demo_town = f"{groups[demo_ward].place}, London"
    for state, helper in (
        [(AskStatus.CLAIMED, DEMO_EMAIL)] * 2
        + [(AskStatus.DONE, DEMO_EMAIL)] * 3
        + [(AskStatus.OPEN, None)] * 4
    ):
        asks.append(
            plan_ask(
                rng,
                place=_near(rng, demo_center, WARD_RADIUS_KM * 0.8),
                town=demo_town,
                members=neighbours,
                state=state,
                expiry_days=expiry_days,
                helper=helper,
            )
        )
    asks.append(
        plan_ask(
            rng,
            place=_near(rng, demo_center, 0.3),
            town=demo_town,
            members=neighbours,
            state=AskStatus.OPEN,
            expiry_days=expiry_days,
            category=Category.OTHER,
            asker=demo_member,
        )
    )
    # The night's asks from the flooded streets of the demo ward's incident.
    asks.extend(plan_flood_asks(demo_center))

    # Outside every group: these wait on the unrouted list for someone to pass them on.
    far = [p for p in _gb_places() if _distance(LONDON, (p.lat, p.lon)) >= UNROUTED_MIN_KM]
    for _n in range(spec.unrouted):
        spot = rng.choice(far)
        asks.append(
            plan_ask(
                rng,
                place=_near(rng, (spot.lat, spot.lon), 1.0),
                town=spot.name,
                members=members,
                state=AskStatus.OPEN,
                expiry_days=expiry_days,
                local=False,
            )
        )

    offers: list[OfferPlan] = []
    for _n in range(spec.offers):
        member = rng.choice(members)
        category = rng.choice(member.skills)
        kind, template = rng.choice(OFFER_TEXTS[category])
        language = member.languages[-1] if len(member.languages) > 1 else member.languages[0]
        offers.append(
            OfferPlan(
                member=member.email,
                kind=kind,
                category=category,
                what=_fill(rng, template, language),
                group=member.ward,
            )
        )
    offers.append(
        OfferPlan(
            member=DEMO_EMAIL,
            kind=OfferKind.TIME,
            category=Category.GROCERIES,
            what="Happy to do a weekly shop on Saturday mornings.",
            group=demo_ward,
        )
    )
    return DemoPlan(
        groups=groups,
        members=members,
        demo_member=demo_member,
        asks=asks,
        offers=offers,
    )
