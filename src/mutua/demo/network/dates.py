"""Dates: the services stamp every row with the current time, so each ask's history is
moved into the past once it is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, AskEvent, AskStatus, Claim
from mutua.demo.network.plans import AskPlan, Progress


@dataclass
class Timeline:
    """When each event of one ask happened: [created, after step 1, after step 2, ...]."""

    ask: Ask
    times: list[datetime]
    actions: list[str]


def timeline(plan: AskPlan, ask: Ask, now: datetime, expiry: timedelta) -> Timeline:
    created = now - timedelta(days=plan.age_days)
    moves = [s for s in plan.steps if s.action != "expire"]
    # Everything after the ask must have happened before now (or, for an ask that
    # expires, before its expiry): squeeze the gaps if they would not fit.
    room = min(now - created, expiry) if plan.state == AskStatus.EXPIRED else now - created
    total = timedelta(hours=sum(s.hours_after for s in moves))
    scale = min(1.0, 0.9 * (room / total)) if total else 1.0
    times = [created]
    for step in moves:
        times.append(times[-1] + timedelta(hours=step.hours_after) * scale)
    actions = [s.action for s in moves]
    for step in plan.steps:
        if step.action == "expire":
            # The expiry job runs now and then; it noticed this ask a little after expiry.
            times.append(created + expiry + timedelta(hours=step.hours_after))
            actions.append("expire")
    return Timeline(ask=ask, times=times, actions=actions)


def backdate(timelines: list[Timeline], expiry: timedelta, progress: Progress) -> None:
    """Move each ask's history into the past, then let the real expiry job close the old ones.

    The services stamp every row with the current time; a demo where everything happened
    in the last minute would show an empty history, so the times are rewritten here.
    """
    progress.stage(_("History"), len(timelines) * 2)
    asks = []
    for line in timelines:
        line.ask.created_at = line.ask.consent_at = line.times[0]
        line.ask.expires_at = line.times[0] + expiry
        asks.append(line.ask)
    Ask.objects.bulk_update(asks, ["created_at", "consent_at", "expires_at"], batch_size=500)
    progress.advance(len(timelines))
    aid_services.expire_asks()

    chunk = 500
    for start in range(0, len(timelines), chunk):
        lines = {line.ask.pk: line for line in timelines[start : start + chunk]}
        events: dict[int, list[AskEvent]] = {pk: [] for pk in lines}
        for event in AskEvent.objects.filter(ask_id__in=list(lines)).order_by("ask_id", "pk"):
            events[event.ask_id].append(event)
        claims: dict[int, list[Claim]] = {pk: [] for pk in lines}
        for claim in Claim.objects.filter(ask_id__in=list(lines)).order_by("ask_id", "pk"):
            claims[claim.ask_id].append(claim)
        statuses = dict(Ask.objects.filter(pk__in=list(lines)).values_list("pk", "status"))
        for pk, line in lines.items():
            line.ask.status = statuses[pk]
            for event, at in zip(events[pk], line.times, strict=True):
                event.at = at
            # Each claim starts at its "claim" step and ends at the step after it, if any.
            starts = [i + 1 for i, action in enumerate(line.actions) if action == "claim"]
            for claim, begin in zip(claims[pk], starts, strict=True):
                claim.claimed_at = line.times[begin]
                claim.ended_at = line.times[begin + 1] if begin + 1 < len(line.times) else None
            line.ask.updated_at = line.times[-1]
        AskEvent.objects.bulk_update([e for es in events.values() for e in es], ["at"])
        Claim.objects.bulk_update(
            [c for cs in claims.values() for c in cs], ["claimed_at", "ended_at"]
        )
        Ask.objects.bulk_update([line.ask for line in lines.values()], ["updated_at"])
        progress.advance(len(lines))
