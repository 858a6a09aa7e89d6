"""Proof that the k limit costs no urgency weight, and the searches that complete it.

The candidate graph holds each ask's k nearest feasible helpers. Its optimum has the greatest
urgency weight over all feasible pairs unless some unmatched ask has an improving alternating
path (to a helper with room, or to a matched ask of lower urgency) that uses a pair outside the
graph. For each urgency level t, the asks and helpers reachable by alternating paths from the
unmatched asks of urgency t or more form a closed set Y_t: its helpers are full and its asks
are all of urgency t or more (else the optimum on the graph could still improve). A path from
such an ask can leave Y_t only along a pair outside the graph from an ask in Y_t to a helper
outside Y_t. So for every ask b in Y_t whose list was cut at k, the engine looks for feasible
helpers outside Y_t only (not for a wider list among the full helpers around it): if there are
none for any such ask, no improving path exists anywhere and the weight is optimal; otherwise
the nearest ones join the graph and it is solved again.

Where helpers are scarce (a surge), almost every helper near the stuck asks is in Y_t, so this
search looks among the few others, through small trees of them; docs/DISPATCH.md has the rest.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import chain

import numpy as np
import numpy.typing as npt
from numba import njit

from .adjacency import Adjacency
from .candidates import CandidateGraph, CandidateSearch
from .transport import group

IntArray = npt.NDArray[np.int64]

# The sets Y_t and F_t are first grown to this many asks with cut lists, or helpers.
_FIRST_LIMIT = 1024


@njit(cache=True, nogil=True)
def _reach(  # pragma: no cover - compiled; exercised through complete
    start: IntArray,
    first_start: IntArray,
    first_next: IntArray,
    second_start: IntArray,
    second_next: IntArray,
    second_weight: IntArray,
    second_min: int,
    counted: npt.NDArray[np.bool_],
    limit: int,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], int, bool]:
    """Nodes reached by alternating steps from `start` (nodes of the first side): from a
    first-side node to its second-side neighbours (first_start/first_next, as in CSR) of
    second_weight at least second_min, from a second-side node back to its first-side ones
    (second_start/second_next).

    Returns both sides' masks, how many reached first-side nodes are `counted`, and whether the
    search finished: it stops as soon as that count passes `limit`.
    """
    n_first = first_start.shape[0] - 1
    n_second = second_start.shape[0] - 1
    seen_first = np.zeros(n_first, dtype=np.bool_)
    seen_second = np.zeros(n_second, dtype=np.bool_)
    queue = np.empty(n_first, dtype=np.int64)
    size = 0
    count = 0
    for a in start:
        if not seen_first[a]:
            seen_first[a] = True
            queue[size] = a
            size += 1
            count += counted[a]
    if count > limit:
        return seen_first, seen_second, count, False
    head = 0
    while head < size:
        a = queue[head]
        head += 1
        for p in range(first_start[a], first_start[a + 1]):
            b = first_next[p]
            if seen_second[b] or second_weight[b] < second_min:
                continue
            seen_second[b] = True
            for q in range(second_start[b], second_start[b + 1]):
                c = second_next[q]
                if not seen_first[c]:
                    seen_first[c] = True
                    queue[size] = c
                    size += 1
                    if counted[c]:
                        count += 1
                        if count > limit:
                            return seen_first, seen_second, count, False
    return seen_first, seen_second, count, True


@njit(cache=True, nogil=True)
def _feasible(  # pragma: no cover - compiled; exercised through complete
    rows: IntArray,
    counts: IntArray,
    ask: IntArray,
    excluded: npt.NDArray[np.bool_],
    categories: npt.NDArray[np.uint32],
    category: npt.NDArray[np.int16],
    languages: npt.NDArray[np.uint64],
    language: npt.NDArray[np.int16],
    available_from: npt.NDArray[np.float64],
    available_to: npt.NDArray[np.float64],
    window_start: npt.NDArray[np.float64],
    window_end: npt.NDArray[np.float64],
    helper_start: IntArray,
    helper_ask: IntArray,
) -> tuple[IntArray, IntArray]:
    """The pairs (ask, helper) found around each helper, rows[i] with the next counts[i] asks of
    `ask`, that are outside `excluded`, feasible but for the distance, and not yet arcs of the
    graph (helper_start/helper_ask: the graph's asks of each helper, as in CSR); in their order.

    One pass over the pairs the balls hold (a million and more in a surge), instead of a NumPy
    pass per test, each making arrays of that size.
    """
    keep_ask = np.empty(ask.shape[0], dtype=np.int64)
    keep_helper = np.empty(ask.shape[0], dtype=np.int64)
    arc = np.zeros(excluded.shape[0], dtype=np.bool_)
    size = 0
    p = 0
    for i in range(rows.shape[0]):
        r = rows[i]
        for q in range(helper_start[r], helper_start[r + 1]):
            arc[helper_ask[q]] = True
        for _ in range(counts[i]):
            b = ask[p]
            p += 1
            if excluded[b] or arc[b] or ((categories[r] >> np.uint32(category[b])) & 1) == 0:
                continue
            need = language[b]
            if need >= 0 and ((languages[r] >> np.uint64(need)) & np.uint64(1)) == 0:
                continue
            if window_start[b] <= available_to[r] and available_from[r] <= window_end[b]:
                keep_ask[size] = b
                keep_helper[size] = r
                size += 1
        for q in range(helper_start[r], helper_start[r + 1]):
            arc[helper_ask[q]] = False
    return keep_ask[:size], keep_helper[:size]


class _Sets:
    """The alternating structure of a matching on the graph, for the sets of each level.

    Y_t (closed_set): the asks and helpers reachable from the unmatched asks of urgency t or
    more that have feasible helpers (ask -> candidate helper -> the asks it serves -> ...).
    F_t (free_set): helpers with room at level t (counting only asks of urgency t or more), the
    asks of urgency t or more that could move onto one, the helpers serving those, and on.
    Both searches can stop early, once the set being measured is known to be the larger one.
    """

    def __init__(
        self,
        graph: CandidateGraph,
        arc: IntArray,
        urgency: npt.NDArray[np.int8],
        capacity: npt.NDArray[np.int32],
        adjacency: Adjacency,
    ) -> None:
        n = capacity.shape[0]
        self.urgency = urgency.astype(np.int64)
        self.capacity = capacity
        self.more = graph.more
        self.stuck = (arc < 0) & (graph.blocked == 0)
        matched = np.flatnonzero(arc >= 0)
        self.matched = matched
        self.server = graph.helper[arc[matched]].astype(np.int64)
        # Ask -> each candidate helper; helper -> the asks it serves (for Y_t).
        self.ask_start = adjacency.ask_start
        self.helper_of = adjacency.arc_helper
        by_helper, self.serves_start = group(self.server, np.arange(matched.size), n)
        self.served = matched[by_helper]
        # Helper -> each candidate ask; ask -> the helper serving it (for F_t).
        self.helper_start = adjacency.helper_start
        self.ask_of = adjacency.arc_ask[adjacency.helper_arc]
        self.server_start = np.concatenate(([0], np.cumsum(arc >= 0))).astype(np.int64)
        self.everyone = np.ones(n, dtype=np.bool_)
        self.no_weight = np.zeros(n, dtype=np.int64)

    def closed_set(
        self, t: int, limit: int
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], int, bool]:
        """Y_t: (asks, helpers, how many of its asks have cut lists, finished)."""
        start = np.flatnonzero(self.stuck & (self.urgency >= t))
        return _reach(
            start,
            self.ask_start,
            self.helper_of,
            self.serves_start,
            self.served,
            self.no_weight,
            0,
            self.more,
            limit,
        )

    def free_set(
        self, t: int, limit: int
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], int, bool]:
        """F_t: (helpers, asks, how many helpers, finished)."""
        high = self.urgency[self.matched] >= t
        load = np.bincount(self.server[high], minlength=self.capacity.shape[0])
        free = np.flatnonzero((load < self.capacity) & (self.capacity > 0))
        return _reach(
            free,
            self.helper_start,
            self.ask_of,
            self.server_start,
            self.server,
            self.urgency,
            t,
            self.everyone,
            limit,
        )


def load_compiled() -> None:
    """Compile the helper side's pass (or load it from Numba's cache) on one pair, so that the
    first completion round of a timed run does not: a surge's first round is its first call."""
    one = np.zeros(1, dtype=np.int64)
    _feasible(
        one,
        np.ones(1, dtype=np.int64),
        one,
        np.zeros(1, dtype=np.bool_),
        np.ones(1, dtype=np.uint32),
        np.zeros(1, dtype=np.int16),
        np.ones(1, dtype=np.uint64),
        np.full(1, -1, dtype=np.int16),
        np.zeros(1, dtype=np.float64),
        np.ones(1, dtype=np.float64),
        np.zeros(1, dtype=np.float64),
        np.ones(1, dtype=np.float64),
        np.zeros(2, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
    )


def _helper_side(
    graph: CandidateGraph,
    search: CandidateSearch,
    rows: IntArray,
    level: int,
    excluded: npt.NDArray[np.bool_],
    k: int,
    sets: _Sets,
) -> CandidateGraph | None:
    """For each helper in `rows`, its k best feasible asks of urgency `level` or more, outside
    `excluded` and not yet its candidates: most urgent first, then nearest."""
    if rows.size == 0:
        return None
    tree, targets = search.ask_tree(level, graph.blocked == 0)
    if targets.size == 0:
        return None
    found = tree.query_ball_point(
        search.helper_xyz[rows], search.reach[rows] * (1.0 + 1e-9) + 1e-15, workers=search.workers
    )
    counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=rows.size)
    if counts.sum() == 0:
        return None
    ask = targets[np.fromiter(chain.from_iterable(found), dtype=np.int64, count=counts.sum())]
    a, h = search.asks, search.helpers
    ask, helper = _feasible(
        rows,
        counts,
        ask,
        excluded,
        h.categories,
        a.category,
        h.languages,
        a.language,
        h.available_from,
        h.available_to,
        a.window_start,
        a.window_end,
        sets.helper_start,
        sets.ask_of,
    )
    # The distance in NumPy, as the searches compute it, so equal pairs get equal bits.
    chord = np.linalg.norm(search.ask_xyz[ask] - search.helper_xyz[helper], axis=1)
    ok = chord <= search.reach[helper]
    ask, helper, chord = ask[ok], helper[ok], chord[ok]
    # Per helper: most urgent first, then nearest; keep k.
    order = np.lexsort((chord, -a.urgency[ask].astype(np.int64), helper))
    ask, helper, chord = ask[order], helper[order], chord[order]
    starts = np.searchsorted(helper, helper, side="left")
    keep = np.arange(helper.size) - starts < k
    if not keep.any():
        return None
    return replace(graph, ask=ask[keep], helper=helper[keep], chord=chord[keep])


def complete(
    graph: CandidateGraph,
    search: CandidateSearch,
    arc: IntArray,
    urgency: npt.NDArray[np.int8],
    capacity: npt.NDArray[np.int32],
    k: int,
    *,
    adjacency: Adjacency,
) -> CandidateGraph | None:
    """The graph with the pairs that could still raise the weight appended, or None if none
    exist. adjacency: the graph's arcs grouped (Adjacency.of, or extended from the last
    round's)."""
    sets = _Sets(graph, arc, urgency, capacity, adjacency)
    pieces: list[CandidateGraph] = []
    for t in (3, 2, 1):
        # Either proof will do; each looks for the pairs that would break it. The ask side
        # searches from the asks of Y_t with cut lists, the helper side from the helpers of F_t:
        # take whichever has less to search (F_t is small where helpers are scarce). Both sets
        # are grown only until the smaller one is known, from a small bound up.
        limit = _FIRST_LIMIT
        while True:
            y_asks, y_helpers, rows_count, y_done = sets.closed_set(t, limit)
            if y_done and rows_count == 0:
                found = None
                break
            f_helpers, f_asks, f_count, f_done = sets.free_set(t, limit)
            if f_done and (not y_done or f_count < rows_count):
                found = _helper_side(graph, search, np.flatnonzero(f_helpers), t, f_asks, k, sets)
                break
            if y_done:
                rows = np.flatnonzero(y_asks & graph.more)
                found = search.restricted(y_helpers).search(rows, k, reasons=False)
                break
            limit *= 4
        if found is not None and found.size:
            pieces.append(found)
    if not pieces:
        return None
    ask = np.concatenate([p.ask for p in pieces])
    helper = np.concatenate([p.helper for p in pieces])
    chord = np.concatenate([p.chord for p in pieces])
    # A pair can be found at two levels; keep it once. Appended after the graph's own arcs, so
    # the current matching's arc numbers stay valid.
    _, first = np.unique(ask * capacity.shape[0] + helper, return_index=True)
    first = np.sort(first)
    return replace(
        graph,
        ask=np.concatenate((graph.ask, ask[first])),
        helper=np.concatenate((graph.helper, helper[first])),
        chord=np.concatenate((graph.chord, chord[first])),
    )
