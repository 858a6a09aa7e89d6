"""Asks and offers: their texts, askers and histories, planned from the seed and written
through the aid services."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, AskStatus, Urgency
from mutua.aid.policy import Actor
from mutua.aid.selectors import asker_key
from mutua.demo.network._common import _ascii, _fill, _weighted
from mutua.demo.network.data import (
    ASK_TEXTS,
    ASK_WEIGHTS,
    FIRST_NAMES,
    LANGUAGES,
    NATIVE_TEXTS,
    STREETS,
    URGENT_CATEGORIES,
)
from mutua.demo.network.dates import Timeline, timeline
from mutua.demo.network.plans import AskPlan, DemoPlan, MemberPlan, Progress, Step
from mutua.groups.models import Group
from mutua.people.models import User


def _ask_text(rng: random.Random, category: str, language: str) -> str:
    native = NATIVE_TEXTS.get((language, category))
    template = rng.choice(ASK_TEXTS[category])
    if native is not None and rng.random() < 0.5:
        return native
    return _fill(rng, template, language)


def _steps(
    rng: random.Random,
    state: str,
    pool: list[str],
    asker: str | None,
    expiry_days: int,
    *,
    local: bool,
) -> tuple[list[Step], float]:
    """The moves that bring a new ask to `state`, and how many days ago it was made.

    An asker without an account cancels through their private link, so with no actor.
    """
    helpers = [h for h in pool if h != asker]
    first, second = rng.choice(helpers), rng.choice(helpers)
    if len(helpers) > 1:
        while second == first:
            second = rng.choice(helpers)
    steps: list[Step] = []
    # Some asks on a group's board were taken once and given back before their current state.
    if local and len(helpers) > 1 and state != AskStatus.CANCELLED and rng.random() < 0.15:
        steps.append(Step("claim", first, rng.uniform(0.3, 30)))
        steps.append(Step("release", first, rng.uniform(2, 48)))
        first = second
    if state in (AskStatus.CLAIMED, AskStatus.DONE):
        steps.append(Step("claim", first, rng.uniform(0.2, 30)))
    if state == AskStatus.DONE:
        by_asker = asker is not None and rng.random() < 0.2
        steps.append(Step("done", asker if by_asker else first, rng.uniform(1, 72)))
    if state == AskStatus.CANCELLED:
        if rng.random() < 0.4:
            steps.append(Step("claim", first, rng.uniform(0.5, 30)))
        steps.append(Step("cancel", asker, rng.uniform(1, 96)))
    if state == AskStatus.EXPIRED:
        steps.append(Step("expire", None, rng.uniform(0.1, 1)))
    age = {
        AskStatus.OPEN: rng.uniform(0.02, 0.8 * expiry_days),
        AskStatus.CLAIMED: rng.uniform(0.1, 0.6 * expiry_days),
        AskStatus.DONE: rng.uniform(0.5, 60),
        AskStatus.CANCELLED: rng.uniform(0.5, 30),
        AskStatus.EXPIRED: expiry_days + rng.uniform(1, 20),
    }[AskStatus(state)]
    return steps, round(age, 4)


def _contact(rng: random.Random, language: str, town: str) -> tuple[str, str, str, str]:
    """(name, phone, email, address) for someone without an account."""
    name = rng.choice(FIRST_NAMES[language])
    # 07700 900xxx is Ofcom's range reserved for fiction: it never rings anyone.
    phone = f"07700 900{rng.randint(0, 999):03d}"
    email = f"{_ascii(name)}{rng.randint(1, 99)}@example.org" if rng.random() < 0.3 else ""
    flat = f"Flat {rng.randint(1, 12)}, " if rng.random() < 0.4 else ""
    address = f"{flat}{rng.randint(1, 120)} {rng.choice(STREETS)}, {town}"
    return name, phone, email, address


def plan_ask(
    rng: random.Random,
    *,
    place: tuple[float, float],
    town: str,
    members: list[MemberPlan],
    state: str,
    expiry_days: int,
    category: str | None = None,
    asker: MemberPlan | None = None,
    helper: str | None = None,
    local: bool = True,
) -> AskPlan:
    category = category or _weighted(rng, list(ASK_WEIGHTS.items()))
    urgent_weight = 4 if category in URGENT_CATEGORIES else 1
    urgency = rng.choices(
        [Urgency.LOW, Urgency.NORMAL, Urgency.URGENT], weights=[3, 5, 2 * urgent_weight]
    )[0]
    kind = "member" if asker else rng.choices(["none", "member", "hotline"], [50, 35, 15])[0]
    if kind == "member" and asker is None:
        asker = rng.choice(members)
    recorded_by = rng.choice(members).email if kind == "hotline" else None
    language = asker.languages[0] if asker else _weighted(rng, LANGUAGES)
    name, phone, email, address = _contact(rng, language, town)
    if asker is not None:
        name, phone, email = asker.display_name, "", ""
        address = address if rng.random() < 0.5 else ""
    pool = [helper] if helper else [m.email for m in members]
    steps, age = _steps(rng, state, pool, asker.email if asker else None, expiry_days, local=local)
    return AskPlan(
        what=_ask_text(rng, category, language),
        category=category,
        urgency=int(urgency),
        language=language,
        place=place,
        address=address,
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        asker=asker.email if asker else None,
        recorded_by=recorded_by,
        age_days=age,
        steps=steps,
        state=state,
    )


def _apply(step: Step, ask: Ask, users: dict[str, User]) -> None:
    actor = users[step.actor] if step.actor else None
    if step.action == "claim" and actor is not None:
        aid_services.claim_ask(ask=ask, helper=actor)
    elif step.action == "release" and actor is not None:
        aid_services.release_ask(ask=ask, helper=actor)
    elif step.action == "done":
        aid_services.complete_ask(ask=ask, actor=_as(actor, ask))
    elif step.action == "cancel":
        aid_services.cancel_ask(ask=ask, actor=_as(actor, ask))


def _as(user: User | None, ask: Ask) -> Actor:
    """The demo person acting: their account, or for an asker without one the ask's key."""
    return Actor(user=user) if user is not None else Actor(key=asker_key(ask))


def create_asks(
    plan: DemoPlan, users: dict[str, User], now: datetime, expiry: timedelta, progress: Progress
) -> list[Timeline]:
    progress.stage(_("Asks"), len(plan.asks))
    timelines = []
    for spec in plan.asks:
        ask = aid_services.create_ask(
            what=spec.what,
            category=spec.category,
            lat=spec.place[0],
            lon=spec.place[1],
            consent=True,
            urgency=spec.urgency,
            language=spec.language,
            address=spec.address,
            contact_name=spec.contact_name,
            contact_phone=spec.contact_phone,
            contact_email=spec.contact_email,
            asker=users[spec.asker] if spec.asker else None,
            recorded_by=users[spec.recorded_by] if spec.recorded_by else None,
            # The plan repeats a few words and numbers across its thousands of asks.
            allow_duplicate=True,
        )
        for step in spec.steps:
            _apply(step, ask, users)
        timelines.append(timeline(spec, ask, now, expiry))
        progress.advance()
    return timelines


def create_offers(
    plan: DemoPlan, users: dict[str, User], groups: list[Group], progress: Progress
) -> None:
    progress.stage(_("Offers"), len(plan.offers))
    for spec in plan.offers:
        aid_services.create_offer(
            member=users[spec.member],
            kind=spec.kind,
            category=spec.category,
            what=spec.what,
            group=groups[spec.group],
        )
        progress.advance()
