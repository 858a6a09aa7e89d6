"""The weekly assignment: callees to callers, by the dispatch engine.

Continuity first: a callee keeps last week's caller while that caller is on the rota,
speaks their language and has room. The rest go to the engine (mutua.matching.engine) as
asks of the kind "check-in", all at one point (a call needs no travel), each caller a
helper whose capacity is their room left and whose languages are their profile's; the
engine matches only shared languages, and spreads the calls over callers at the least
cost. Callees the engine cannot place (nobody speaks their language, or no room) stay
unassigned and are listed on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mutua.core.categories import Category
from mutua.matching.engine import AskArrays, HelperArrays, solve

_CATEGORY = list(Category.values).index(Category.CHECK_IN)
_MAX_LANGUAGES = 64


@dataclass(frozen=True)
class Person:
    id: int
    language: str
    last_caller: int | None


@dataclass(frozen=True)
class Volunteer:
    id: int
    languages: frozenset[str]
    capacity: int


def _main(code: str) -> str:
    return code.split("-")[0].lower()


def assign(people: list[Person], callers: list[Volunteer]) -> dict[int, int]:
    """Callee id -> caller id for everyone who can be placed."""
    room = {c.id: c.capacity for c in callers}
    speaks = {c.id: {_main(code) for code in c.languages} for c in callers}
    chosen: dict[int, int] = {}
    for person in people:
        last = person.last_caller
        if last in room and room[last] > 0 and _main(person.language) in speaks[last]:
            chosen[person.id] = last
            room[last] -= 1
    rest = [p for p in people if p.id not in chosen]
    helpers = [c for c in callers if room[c.id] > 0]
    if not rest or not helpers:
        return chosen
    codes = sorted({_main(p.language) for p in rest})[:_MAX_LANGUAGES]
    index = {code: i for i, code in enumerate(codes)}
    placeable = [p for p in rest if _main(p.language) in index]
    m, n = len(placeable), len(helpers)
    asks = AskArrays(
        lat=np.zeros(m),
        lon=np.zeros(m),
        category=np.full(m, _CATEGORY, dtype=np.int16),
        urgency=np.full(m, 2, dtype=np.int8),
        language=np.array([index[_main(p.language)] for p in placeable], dtype=np.int16),
        window_start=np.full(m, -np.inf),
        window_end=np.full(m, np.inf),
    )
    masks = [sum(1 << index[code] for code in speaks[c.id] if code in index) for c in helpers]
    pool = HelperArrays(
        lat=np.zeros(n),
        lon=np.zeros(n),
        radius_km=np.ones(n),
        categories=np.full(n, 1 << _CATEGORY, dtype=np.uint32),
        languages=np.array(masks, dtype=np.uint64),
        capacity=np.array([room[c.id] for c in helpers], dtype=np.int32),
        available_from=np.full(n, -np.inf),
        available_to=np.full(n, np.inf),
    )
    result = solve(asks, pool)
    for i, helper in enumerate(result.helper.tolist()):
        if helper >= 0:
            chosen[placeable[i].id] = helpers[helper].id
    return chosen
