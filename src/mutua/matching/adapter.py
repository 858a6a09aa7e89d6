"""The bridge between the database and the dispatch engine.

`load_pool` reads the open asks and the available members of some groups into the
engine's arrays; `plan` runs the engine and returns what to propose and what could not
be matched and why. Writing the result is run_dispatch's job (services.py).

The rules, where the issue leaves a choice:

- Asks: open, in one of the groups, with no pending suggestion. The engine gets the ask's
  exact place; it never leaves the server (pages show the ask's area and a distance
  rounded to half a kilometre).
- Members: of any of the groups, active account, not taking a break, a home area set,
  at least one kind of help ticked, and free capacity: `max_asks_at_once` minus their
  active claims minus their pending suggestions on open asks.
- Time, "now" semantics: dispatch proposes work for today. A member whose days do not
  include today (in the site's time zone) is left out. Their window is today's
  "free from" to "free until" (open ends when not set; "until" before "from" runs past
  midnight). An ask's window is from now on, so a member whose time today is over
  can still be a candidate but fails the time constraint (reason "nobody free now").
- Language: an ask in the site's language (MUTUA_LANGUAGE) needs no shared language;
  anyone may take it. An ask in any other language needs a helper who lists it. Codes
  are compared by their main part ("pt-BR" is "pt"). A member who lists no languages is
  taken to speak the site's language only.
- Among equally good helpers (the same distance: neighbours share their home cell's
  centre), the one who helped least recently (latest claim, in progress or done) gets the
  ask: engine.rested, a tie-break that never changes the optimum.
- Second areas: a member who chose to help in another group's area too is placed there
  for the asks nobody could take from home (matching.second_area).
- Pairs that must not be made (matching.exclusions): a member is never proposed their own
  ask, and a member who declined an ask is not proposed it again; a volunteer who joined an
  incident only its cases. The engine has no per-pair exclusions,
  so an ask the engine gives to such a member is taken back and solved again alone
  against the members it may go to, with the capacity left, most urgent first.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import NamedTuple, TypeVar, cast

import numpy as np
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mutua.aid import extensions
from mutua.aid.models import Ask, AskStatus
from mutua.groups.models import Group, Membership
from mutua.matching import second_area, selectors
from mutua.matching.engine import AskArrays, HelperArrays, Reason, great_circle_km, solve
from mutua.matching.engine.rested import prefer_rested
from mutua.matching.exclusions import CATEGORIES, exclusions
from mutua.matching.models import SuggestionStatus, UnmatchedReason
from mutua.people.models import Profile

# The engine's language bitmask is 64 bits wide.
MAX_LANGUAGES = 64

_REASONS = {
    Reason.NO_HELPER_IN_RANGE: UnmatchedReason.NO_HELPER_IN_RANGE,
    Reason.NO_CATEGORY: UnmatchedReason.NO_CATEGORY,
    Reason.NO_LANGUAGE: UnmatchedReason.NO_LANGUAGE,
    Reason.NO_TIME: UnmatchedReason.NO_TIME,
    Reason.CAPACITY: UnmatchedReason.CAPACITY,
}


class _AskRow(NamedTuple):
    pk: int
    group_id: int
    asker_id: int | None
    lat: float
    lon: float
    category: int
    urgency: int
    language: str


@dataclass(frozen=True)
class Pool:
    """What one run considers: asks and helpers as engine arrays plus their database ids."""

    ask_ids: list[int]
    ask_groups: list[int]
    asks: AskArrays
    helper_ids: list[int]
    helpers: HelperArrays
    # Epoch seconds of each helper's latest claim (-inf: never helped): the tie-break.
    last_helped: np.ndarray
    # Ask index -> helper indexes the ask must not go to (the asker, those who declined).
    excluded: dict[int, set[int]]
    # Ask indexes that some helper has declined before.
    declined: set[int]
    # Asks (id, group id) in a language beyond the engine's 64: unmatched without a solve.
    untranslatable: list[tuple[int, int]]
    # Where helpers who chose a second area among the run's groups go for the leftovers.
    second_areas: second_area.SecondAreas


@dataclass(frozen=True)
class Match:
    ask_id: int
    group_id: int
    helper_id: int
    distance_km: float


@dataclass(frozen=True)
class Plan:
    matches: list[Match]
    unmatched: list[tuple[int, int, UnmatchedReason]]  # ask id, group id, reason


def _language(code: str) -> str:
    return code.strip().lower().split("-")[0]


def _day_window(free_from: time | None, free_to: time | None, now: datetime) -> tuple[float, float]:
    """Today's free window of a member as epoch seconds; open ends are infinite."""
    local = timezone.localtime(now)

    def at(t: time, day_offset: int = 0) -> float:
        day = local.date() + timedelta(days=day_offset)
        return datetime.combine(day, t, tzinfo=local.tzinfo).timestamp()

    start = at(free_from) if free_from is not None else -math.inf
    end = at(free_to) if free_to is not None else math.inf
    if free_from is not None and free_to is not None and free_to <= free_from:
        # Past midnight: before "until" we are still in the window that began yesterday.
        if local.time() < free_to:
            start = at(free_from, -1)
        else:
            end = at(free_to, 1)
    return start, end


def _load_asks(groups: list[Group]) -> list[_AskRow]:
    """Open asks of the groups with no pending suggestion, oldest first."""
    rows = (
        # Not an ask offered first to the member whose offer it answers (aid.models.Ask.offer).
        Ask.objects.filter(status=AskStatus.OPEN, group__in=groups, offered_until__isnull=True)
        .exclude(suggestions__status=SuggestionStatus.PENDING)
        .order_by("pk")
        .values_list("pk", "group_id", "asker_id", "lat", "lon", "category", "urgency", "language")
    )
    return [
        _AskRow(pk, group_id, asker_id, lat, lon, CATEGORIES.index(cat), urgency, _language(lang))
        for pk, group_id, asker_id, lat, lon, cat, urgency, lang in rows
    ]


def _load_helpers(
    groups: list[Group],
    now: datetime,
    site_language: str,
    language_index: dict[str, int],
    guests: set[int],
) -> tuple[list[int], HelperArrays]:
    """Members of the groups (and `guests`, who may take some of their asks: volunteers of
    an incident) who can take an ask now, as engine arrays, and their ids."""
    weekday = timezone.localtime(now).weekday()
    used = selectors.capacity_used(groups)
    profiles = (
        Profile.objects.filter(
            Q(user_id__in=Membership.objects.filter(group__in=groups).values("user_id"))
            | Q(user_id__in=guests),
            user__is_active=True,
            paused=False,
            home_lat__isnull=False,
            home_lon__isnull=False,
        )
        .order_by("user_id")
        .values_list(
            "user_id",
            "home_lat",
            "home_lon",
            "travel_radius_km",
            "skills",
            "languages",
            "max_asks_at_once",
            "available_days",
            "available_from",
            "available_to",
        )
    )
    ids: list[int] = []
    rows: list[tuple[float, float, float, int, int, int, float, float]] = []
    for user_id, lat, lon, radius, skills, langs, most, days, free_from, free_to in profiles:
        capacity = most - used[user_id]
        categories = sum(1 << CATEGORIES.index(s) for s in set(skills) if s in CATEGORIES)
        if capacity <= 0 or not categories or (days and weekday not in days):
            continue
        spoken = {_language(code) for code in langs} or {site_language}
        languages = sum(1 << language_index[c] for c in spoken if c in language_index)
        start, end = _day_window(free_from, free_to, now)
        ids.append(user_id)
        # The query left out members with no home, so both halves are set.
        home = (cast(float, lat), cast(float, lon))
        rows.append((*home, radius, categories, languages, capacity, start, end))

    def column(k: int, dtype: type[np.generic]) -> np.ndarray:
        return np.array([row[k] for row in rows], dtype=dtype)

    return ids, HelperArrays(
        lat=column(0, np.float64),
        lon=column(1, np.float64),
        radius_km=column(2, np.float64),
        categories=column(3, np.uint32),
        languages=column(4, np.uint64),
        capacity=column(5, np.int32),
        available_from=column(6, np.float64),
        available_to=column(7, np.float64),
    )


def load_pool(*, groups: list[Group], now: datetime) -> Pool:
    """Read what a run over `groups` considers, as of `now` (see the module's rules)."""
    site_language = _language(settings.LANGUAGE_CODE)
    rows = _load_asks(groups)
    needed = Counter(r.language for r in rows if r.language != site_language)
    ranked = sorted(needed, key=lambda code: (-needed[code], code))[:MAX_LANGUAGES]
    language_index = {code: i for i, code in enumerate(ranked)}
    # Non-members aid lets take particular asks (aid.extensions): only those asks.
    guests = extensions.guest_takers([r.pk for r in rows])
    helper_ids, helpers = _load_helpers(
        groups, now, site_language, language_index, set().union(*guests.values())
    )

    kept: list[_AskRow] = []
    untranslatable: list[tuple[int, int]] = []
    for row in rows:
        if row.language == site_language or row.language in language_index:
            kept.append(row)
        else:
            untranslatable.append((row.pk, row.group_id))
    asks = AskArrays(
        lat=np.array([r.lat for r in kept], dtype=np.float64),
        lon=np.array([r.lon for r in kept], dtype=np.float64),
        category=np.array([r.category for r in kept], dtype=np.int16),
        urgency=np.array([r.urgency for r in kept], dtype=np.int8),
        language=np.array(
            [-1 if r.language == site_language else language_index[r.language] for r in kept],
            dtype=np.int16,
        ),
        # Help is wanted from now on; a helper whose time today is over cannot give it.
        window_start=np.full(len(kept), now.timestamp(), dtype=np.float64),
        window_end=np.full(len(kept), math.inf, dtype=np.float64),
    )
    excluded, declined = exclusions(kept, helper_ids, groups, guests)
    return Pool(
        ask_ids=[r.pk for r in kept],
        ask_groups=[r.group_id for r in kept],
        asks=asks,
        helper_ids=helper_ids,
        helpers=helpers,
        last_helped=np.array(
            [at.timestamp() if at else -math.inf for at in selectors.last_helped(helper_ids)],
            dtype=np.float64,
        ),
        excluded=excluded,
        declined=declined,
        untranslatable=untranslatable,
        second_areas=second_area.load(groups, helper_ids),
    )


_Arrays = TypeVar("_Arrays", AskArrays, HelperArrays)


def _take(arrays: _Arrays, index: np.ndarray) -> _Arrays:
    """The rows `index` of every array of an engine input."""
    fields = {f.name: getattr(arrays, f.name)[index] for f in dataclasses.fields(arrays)}
    return type(arrays)(**fields)


def plan(pool: Pool) -> Plan:
    """Run the engine over the pool and keep only pairs that may be made."""
    result = solve(pool.asks, pool.helpers)
    chosen = result.helper.astype(np.int64)
    distance = result.distance_km.astype(np.float64)
    reasons = [_REASONS[Reason(int(r))] if r else None for r in result.reason]
    remaining = pool.helpers.capacity.astype(np.int64)
    np.subtract.at(remaining, chosen[chosen >= 0], 1)

    redo = [i for i, bad in pool.excluded.items() if int(chosen[i]) in bad]
    for i in redo:
        remaining[chosen[i]] += 1
        chosen[i] = -1
    urgency = pool.asks.urgency
    for i in sorted(redo, key=lambda i: (-int(urgency[i]), i)):
        helper, km, reason = _solve_alone(pool, i, remaining)
        if helper >= 0:
            chosen[i], distance[i] = helper, km
            remaining[helper] -= 1
        elif reason is not UnmatchedReason.CAPACITY and i in pool.declined:
            reasons[i] = UnmatchedReason.DECLINED
        else:
            reasons[i] = reason

    chosen = prefer_rested(
        pool.asks, pool.helpers, chosen, distance, pool.last_helped, pool.excluded
    )
    # After the tie-break, which compares distances from home: the second pass's are not.
    # The tie-break may have swapped helpers, so what each has left is counted again.
    remaining = pool.helpers.capacity.astype(np.int64)
    np.subtract.at(remaining, chosen[chosen >= 0], 1)
    for i in second_area.place_leftovers(
        asks=pool.asks,
        helpers=pool.helpers,
        areas=pool.second_areas,
        excluded=pool.excluded,
        chosen=chosen,
        distance=distance,
        remaining=remaining,
    ):
        reasons[i] = None
    matches = [
        Match(pool.ask_ids[i], pool.ask_groups[i], pool.helper_ids[chosen[i]], float(distance[i]))
        for i in range(len(pool.ask_ids))
        if chosen[i] >= 0
    ]
    unmatched = [
        (pool.ask_ids[i], pool.ask_groups[i], reason)
        for i, reason in enumerate(reasons)
        if chosen[i] < 0 and reason is not None
    ]
    unmatched += [(a, g, UnmatchedReason.NO_LANGUAGE) for a, g in pool.untranslatable]
    return Plan(matches=matches, unmatched=unmatched)


def _solve_alone(
    pool: Pool, i: int, remaining: np.ndarray
) -> tuple[int, float, UnmatchedReason | None]:
    """Solve ask `i` alone against the helpers in range it may go to, with what is left."""
    helpers = pool.helpers
    reach = great_circle_km(pool.asks.lat[i], pool.asks.lon[i], helpers.lat, helpers.lon)
    allowed = reach <= helpers.radius_km
    allowed[list(pool.excluded[i])] = False
    index = np.flatnonzero(allowed)
    candidates = dataclasses.replace(
        _take(helpers, index), capacity=remaining[index].astype(np.int32)
    )
    one = solve(_take(pool.asks, np.array([i])), candidates)
    if one.helper[0] >= 0:
        return int(index[one.helper[0]]), float(one.distance_km[0]), None
    return -1, math.nan, _REASONS[Reason(int(one.reason[0]))]
