"""Raise a matching to the greatest urgency weight, by alternating paths (compiled with Numba).

Which sets of asks can be matched at once form a matroid (a transversal one: helpers with
capacity), so a matching has the greatest urgency weight exactly when no single exchange
improves it: no unmatched ask has an alternating path to a helper with room (or to an ask that
could move to its outside option), nor to a matched ask of lower urgency. This module searches
for such paths level by level, most urgent first, and applies each one found; at each level
from whichever side has fewer starting points: the unmatched asks, or (in a surge) the helpers
with room.

A search that fails leaves behind a closed set: full helpers, and asks at least as urgent as
the one searched from, none of which can move anywhere new. Later exchanges never enter such a
set (a path that enters it cannot leave it), so it stays closed, and later searches skip it:
over all searches, failures cost about one pass over the arcs.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from .adjacency import Adjacency

IntArray = npt.NDArray[np.int64]


@njit(cache=True, nogil=True)
def _serving(  # pragma: no cover - compiled
    arc_helper: IntArray, chosen: IntArray, capacity: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Who each helper serves: capacity slots per helper (a helper never serves more)."""
    n_helpers = capacity.shape[0]
    slot_start = np.zeros(n_helpers + 1, dtype=np.int64)
    for h in range(n_helpers):
        slot_start[h + 1] = slot_start[h] + capacity[h]
    served = np.full(slot_start[n_helpers], -1, dtype=np.int64)
    load = np.zeros(n_helpers, dtype=np.int64)
    for a in range(chosen.shape[0]):
        if chosen[a] >= 0:
            h = arc_helper[chosen[a]]
            served[slot_start[h] + load[h]] = a
            load[h] += 1
    return slot_start, served, load


@njit(cache=True, nogil=True)
def _improve(  # pragma: no cover - compiled; exercised through improve_weight
    ask_start: IntArray,
    arc_ask: IntArray,
    arc_helper: IntArray,
    has_outside: npt.NDArray[np.bool_],
    weight: IntArray,
    capacity: IntArray,
    chosen: IntArray,
    level: int,
    dead_ask: npt.NDArray[np.bool_],
    dead_helper: npt.NDArray[np.bool_],
) -> int:
    """Searches from the unmatched asks of urgency `level` (the more urgent ones are done)."""
    n_asks = ask_start.shape[0] - 1
    n_helpers = capacity.shape[0]
    slot_start, served, load = _serving(arc_helper, chosen, capacity)
    seen_ask = np.full(n_asks, -1, dtype=np.int64)
    seen_helper = np.full(n_helpers, -1, dtype=np.int64)
    # The arc by which a helper was reached, and the helper an ask was reached through.
    via_arc = np.full(n_helpers, -1, dtype=np.int64)
    via_helper = np.full(n_asks, -1, dtype=np.int64)
    queue = np.empty(n_asks, dtype=np.int64)
    visited_asks = np.empty(n_asks, dtype=np.int64)
    visited_helpers = np.empty(n_helpers, dtype=np.int64)
    exchanges = 0
    search = 0
    for root in range(n_asks):
        if chosen[root] >= 0 or has_outside[root] or weight[root] != level:
            continue
        if dead_ask[root] or ask_start[root] == ask_start[root + 1]:
            continue
        search += 1
        seen_ask[root] = search
        queue[0] = root
        q_head = 0
        q_tail = 1
        n_va = 1
        visited_asks[0] = root
        n_vh = 0
        end_helper = -1
        end_ask = -1
        while q_head < q_tail and end_helper < 0 and end_ask < 0:
            a = queue[q_head]
            q_head += 1
            for e in range(ask_start[a], ask_start[a + 1]):
                h = arc_helper[e]
                if dead_helper[h] or seen_helper[h] == search:
                    continue
                seen_helper[h] = search
                visited_helpers[n_vh] = h
                n_vh += 1
                via_arc[h] = e
                if load[h] < capacity[h]:
                    end_helper = h
                    break
                for s in range(slot_start[h], slot_start[h] + load[h]):
                    b = served[s]
                    if seen_ask[b] == search:
                        continue
                    seen_ask[b] = search
                    via_helper[b] = h
                    if has_outside[b] or weight[b] < level:
                        end_ask = b
                        break
                    visited_asks[n_va] = b
                    n_va += 1
                    queue[q_tail] = b
                    q_tail += 1
                if end_ask >= 0:
                    break
        if end_helper < 0 and end_ask < 0:
            for i in range(n_va):
                dead_ask[visited_asks[i]] = True
            for i in range(n_vh):
                dead_helper[visited_helpers[i]] = True
            continue
        exchanges += 1
        if end_ask >= 0:
            # The path ends by freeing end_ask's place: it moves to its outside option, or
            # (less urgent) goes unmatched.
            h = via_helper[end_ask]
            _unserve(served, slot_start, load, h, end_ask)
            chosen[end_ask] = -1
        else:
            h = end_helper
        # Walk back: the ask that reached h moves onto it, freeing its previous helper.
        while True:
            e = via_arc[h]
            a = arc_ask[e]
            previous = -1 if a == root else via_helper[a]
            if previous >= 0:
                _unserve(served, slot_start, load, previous, a)
            chosen[a] = e
            served[slot_start[h] + load[h]] = a
            load[h] += 1
            if previous < 0:
                break
            h = previous
    return exchanges


@njit(cache=True, nogil=True)
def _from_room(  # pragma: no cover - compiled; exercised through improve_weight
    helper_start: IntArray,
    helper_arc: IntArray,
    arc_ask: IntArray,
    arc_helper: IntArray,
    weight: IntArray,
    capacity: IntArray,
    chosen: IntArray,
    level: int,
) -> int:
    """The same exchanges for one level, searched backwards from the helpers with room.

    A helper has room at this level while it serves fewer asks of urgency `level` or more than
    its capacity (a less urgent ask it serves can be bumped). From it, the search steps to its
    candidate asks of that urgency or more, from each matched one to the helper serving it (which
    that ask's move would free), and on, until it meets an unmatched one: that ask is matched
    and every ask on the way moves one helper along. A search that fails leaves a closed set
    (no unmatched ask of the level can reach it), which no later exchange of the level enters,
    so later searches skip it. Where helpers are scarce, few have room: these searches are few
    and short, where searches from the many unmatched asks would cover the whole graph.
    """
    n_asks = weight.shape[0]
    n_helpers = capacity.shape[0]
    slot_start, served, load = _serving(arc_helper, chosen, capacity)
    high = np.zeros(n_helpers, dtype=np.int64)
    for a in range(n_asks):
        if chosen[a] >= 0 and weight[a] >= level:
            high[arc_helper[chosen[a]]] += 1
    dead_ask = np.zeros(n_asks, dtype=np.bool_)
    dead_helper = np.zeros(n_helpers, dtype=np.bool_)
    seen_ask = np.full(n_asks, -1, dtype=np.int64)
    seen_helper = np.full(n_helpers, -1, dtype=np.int64)
    # The arc an ask would move along, and the ask whose move would free a helper.
    via_arc = np.full(n_asks, -1, dtype=np.int64)
    via_ask = np.full(n_helpers, -1, dtype=np.int64)
    queue = np.empty(n_helpers, dtype=np.int64)
    visited_asks = np.empty(n_asks, dtype=np.int64)
    exchanges = 0
    search = 0
    for start in range(n_helpers):
        if helper_start[start] == helper_start[start + 1]:
            continue
        while high[start] < capacity[start] and not dead_helper[start]:
            search += 1
            seen_helper[start] = search
            queue[0] = start
            q_head = 0
            q_tail = 1
            n_va = 0
            root = -1
            while q_head < q_tail and root < 0:
                h = queue[q_head]
                q_head += 1
                for p in range(helper_start[h], helper_start[h + 1]):
                    e = helper_arc[p]
                    a = arc_ask[e]
                    if weight[a] < level or dead_ask[a] or seen_ask[a] == search:
                        continue
                    seen_ask[a] = search
                    via_arc[a] = e
                    visited_asks[n_va] = a
                    n_va += 1
                    if chosen[a] < 0:
                        root = a
                        break
                    g = arc_helper[chosen[a]]
                    if seen_helper[g] != search and not dead_helper[g]:
                        seen_helper[g] = search
                        via_ask[g] = a
                        queue[q_tail] = g
                        q_tail += 1
            if root < 0:
                for i in range(n_va):
                    dead_ask[visited_asks[i]] = True
                for i in range(q_tail):
                    dead_helper[queue[i]] = True
                break
            exchanges += 1
            if load[start] == capacity[start]:
                # Full, but with a less urgent ask: the least urgent one makes way.
                worst = served[slot_start[start]]
                for t in range(slot_start[start], slot_start[start] + load[start]):
                    if weight[served[t]] < weight[worst]:
                        worst = served[t]
                _unserve(served, slot_start, load, start, worst)
                chosen[worst] = -1
            high[start] += 1
            # Walk forward from the unmatched ask: each ask takes the helper that reached it,
            # whose own ask (the one that led the search there) moves on in turn.
            a = root
            while True:
                e = via_arc[a]
                h = arc_helper[e]
                moving = -1
                if h != start:
                    moving = via_ask[h]
                    _unserve(served, slot_start, load, h, moving)
                chosen[a] = e
                served[slot_start[h] + load[h]] = a
                load[h] += 1
                if moving < 0:
                    break
                a = moving
    return exchanges


@njit(cache=True, nogil=True)
def _unserve(  # pragma: no cover - compiled
    served: IntArray, slot_start: IntArray, load: IntArray, h: int, a: int
) -> None:
    last = slot_start[h] + load[h] - 1
    for s in range(slot_start[h], last + 1):
        if served[s] == a:
            served[s] = served[last]
            served[last] = -1
            load[h] -= 1
            return


def improve_weight(
    tail: IntArray,
    head: IntArray,
    has_outside: npt.NDArray[np.bool_],
    weight: IntArray,
    capacity: IntArray,
    chosen: IntArray,
    *,
    adjacency: Adjacency | None = None,
) -> int:
    """Make `chosen` (arc per ask, -1 none) a matching of the greatest urgency weight, in place.

    tail, head: local ask and helper of each arc; has_outside: asks that can
    always fall back on a private helper (they are never left unmatched); capacity: per helper;
    adjacency: the arcs' groupings, if already made (Adjacency.of(tail, head, ...)).
    Returns how many exchanges were applied.

    Level by level, most urgent first (which makes the count of matched asks of each urgency or
    more the greatest possible, hence the weight), the searches start from whichever side has
    fewer starting points: the unmatched asks of the level, or the helpers with room at it.
    """
    n_asks = weight.shape[0]
    n_helpers = capacity.shape[0]
    # The searches walk each ask's and each helper's arcs through offsets.
    if adjacency is None:
        adjacency = Adjacency.of(tail, head, n_asks, n_helpers)
    order = adjacency.order
    ask_start = adjacency.ask_start
    arc_ask = adjacency.arc_ask
    arc_helper = adjacency.arc_helper
    helper_arc = adjacency.helper_arc
    helper_start = adjacency.helper_start
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    local = np.full(n_asks, -1, dtype=np.int64)
    local[chosen >= 0] = position[chosen[chosen >= 0]]
    outside = has_outside.astype(np.bool_)
    urgency = weight.astype(np.int64)
    cap = capacity.astype(np.int64)
    has_arcs = ask_start[1:] > ask_start[:-1]
    reached = helper_start[1:] > helper_start[:-1]
    dead_ask = np.zeros(n_asks, dtype=np.bool_)
    dead_helper = np.zeros(n_helpers, dtype=np.bool_)
    exchanges = 0
    for level in (3, 2, 1):
        matched = local >= 0
        roots = np.count_nonzero(~matched & ~outside & (urgency == level) & has_arcs & ~dead_ask)
        high = matched & (urgency >= level)
        load = np.bincount(arc_helper[local[high]], minlength=n_helpers)
        rooms = np.count_nonzero(reached & (load < cap))
        # An ask with an outside option ends a path without any room: only the ask side's
        # searches know it.
        if rooms < roots and not outside.any():
            exchanges += _from_room(
                helper_start, helper_arc, arc_ask, arc_helper, urgency, cap, local, level
            )
        else:
            exchanges += _improve(
                ask_start,
                arc_ask,
                arc_helper,
                outside,
                urgency,
                cap,
                local,
                level,
                dead_ask,
                dead_helper,
            )
    chosen[:] = -1
    chosen[local >= 0] = order[local[local >= 0]]
    return int(exchanges)
