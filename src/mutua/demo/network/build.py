"""Building: writes the plan through the services, all in one transaction."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mutua.aid.events import ask_changed
from mutua.aid.models import AskStatus
from mutua.demo.network.asks import create_asks, create_offers
from mutua.demo.network.dates import backdate
from mutua.demo.network.groups import create_groups, name_places
from mutua.demo.network.incident import create_incident
from mutua.demo.network.members import create_members
from mutua.demo.network.plans import DemoPlan, DemoSummary, Progress
from mutua.demo.network.resources import create_resources
from mutua.demo.network.trust import trust_members
from mutua.governance.events import group_event


def build_demo(plan: DemoPlan, *, progress: Progress) -> DemoSummary:
    """Write the plan. All or nothing: one transaction, so an interrupted run leaves nothing."""
    started = time.monotonic()
    now = timezone.now()
    expiry = timedelta(days=settings.MUTUA_ASK_EXPIRY_DAYS)
    # Nobody is told of made-up asks and decisions: without this the worker would send a
    # thousand e-mails about them once the server starts, and announcing them took half
    # of the build's time.
    with ask_changed.muted(), group_event.muted(), transaction.atomic():
        groups = create_groups(plan, progress)
        name_places(groups)
        users = create_members(plan, groups, now, progress)
        trust_members(plan, groups, users, progress)
        timelines = create_asks(plan, users, now, expiry, progress)
        backdate(timelines, expiry, progress)
        create_offers(plan, users, groups, progress)
        create_resources(plan, groups, users, now, progress)
        create_incident(plan, groups, users, now, progress)
    counts: dict[str, int] = {}
    for line in timelines:
        counts[line.ask.status] = counts.get(line.ask.status, 0) + 1
    return DemoSummary(
        groups=len(groups),
        members=len(plan.members) + 1,
        asks_by_status={s: counts.get(s, 0) for s in AskStatus.values},
        unrouted=sum(1 for line in timelines if line.ask.group_id is None),
        offers=len(plan.offers),
        seconds=time.monotonic() - started,
    )
