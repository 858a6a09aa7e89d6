"""The demo ward's incident: a flash flood over a few streets of its area, opened at once
by the demo login as the ward's dispatcher, with the asks of two flooded homes (planned
with the other asks, made in the night) among its cases, one of them assessed and its
mucking out taken on, so a newcomer sees incident mode. Written through the incidents
services (a handful of calls)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from mutua.aid.models import AskStatus, Urgency
from mutua.core.categories import Category
from mutua.demo.network.plans import AskPlan, DemoPlan, Progress
from mutua.governance import services as governance_services
from mutua.governance.models import Role
from mutua.groups.models import Group
from mutua.incidents.models import Case, IncidentType, WorkType
from mutua.incidents.services.cases import assess_case
from mutua.incidents.services.lifecycle import open_at_once
from mutua.incidents.services.work import claim_work
from mutua.people.models import User

# The flooded box: a few streets 500 m north of the ward's centre, about 560 m by 480 m
# (half sides in degrees), off the middle where most of the ward's asks are, so the
# incident has a couple of cases rather than the whole board.
NORTH = 0.0045
HALF_LAT, HALF_LON = 0.0025, 0.0035
WORK = [WorkType.MUCKING_OUT, WorkType.SUPPLIES]
# (what, kind, offset from the box's centre in degrees, contact, hours ago) of each
# flooded home's ask.
# 07700 900xxx is Ofcom's range reserved for fiction: it never rings anyone.
ASKS = (
    (
        "Water came up through the floor overnight. Need help carrying furniture out "
        "and shovelling the mud.",
        Category.CLEAN_UP,
        (0.0003, -0.0004),
        ("Maryam", "07700 900871", "Flat 2, 31 Morning Lane"),
        7.0,
    ),
    (
        "Ground floor flooded, no power since yesterday. Could someone bring drinking "
        "water and nappies?",
        Category.GROCERIES,
        (-0.0002, 0.0005),
        ("Gareth", "07700 900872", "9 Chatham Place"),
        4.5,
    ),
)


def flood_area(center: tuple[float, float]) -> dict[str, Any]:
    """The box of flooded streets north of the ward's centre, as GeoJSON ([longitude,
    latitude])."""
    lat, lon = center[0] + NORTH, center[1]
    ring = [
        [lon - HALF_LON, lat - HALF_LAT],
        [lon + HALF_LON, lat - HALF_LAT],
        [lon + HALF_LON, lat + HALF_LAT],
        [lon - HALF_LON, lat + HALF_LAT],
        [lon - HALF_LON, lat - HALF_LAT],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def plan_flood_asks(center: tuple[float, float]) -> list[AskPlan]:
    """The flooded homes' asks, open, from people without an account, inside the flooded
    box north of the ward's centre."""
    return [
        AskPlan(
            what=what,
            category=category,
            urgency=int(Urgency.URGENT),
            language="en",
            place=(center[0] + NORTH + d_lat, center[1] + d_lon),
            address=address,
            contact_name=name,
            contact_phone=phone,
            contact_email="",
            asker=None,
            recorded_by=None,
            age_days=hours_ago / 24,
            steps=[],
            state=AskStatus.OPEN,
        )
        for what, category, (d_lat, d_lon), (name, phone, address), hours_ago in ASKS
    ]


def create_incident(
    plan: DemoPlan, groups: list[Group], users: dict[str, User], now: datetime, progress: Progress
) -> None:
    progress.stage(_("Incident"), 1)
    demo = users[plan.demo_member.email]
    ward = groups[plan.demo_member.ward]
    where = plan.groups[plan.demo_member.ward]
    governance_services.trust_by_operator(group=ward, member=demo, role=Role.DISPATCHER, now=now)
    incident = open_at_once(
        group=ward,
        by=demo,
        name=_("%(place)s flash flood") % {"place": where.place},
        kind=IncidentType.FLOOD,
        area=flood_area(where.center),
        work_types=list(WORK),
        now=now,
    )
    # Its cases are the asks open in its area when it opened: the flooded homes', and any
    # other. The first home's is assessed and its mucking out taken on.
    first = (
        Case.objects.filter(incident=incident, ask__what=ASKS[0][0])
        .select_related("incident")
        .first()
    )
    if first is not None:
        assess_case(
            case=first,
            by=demo,
            needs=list(WORK),
            answers={"water_depth_cm": 40, "power": False},
        )
        claim_work(case=first, work_type=WorkType.MUCKING_OUT, group=ward, by=demo)
    progress.advance()
