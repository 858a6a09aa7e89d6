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

import numpy as np
import numpy.typing as npt
from numba import njit

from .candidates import CandidateGraph, CandidateSearch
from .transport import group

IntArray = npt.NDArray[np.int64]


@njit(cache=True, nogil=True)
def _reach(  # pragma: no cover - compiled; exercised through closed_sets and free_sets
    start: IntArray,
    first_start: IntArray,
    first_next: IntArray,
    second_start: IntArray,
    second_next: IntArray,
    n_first: int,
    n_second: int,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Nodes reached by alternating steps from `start` (nodes of the first side): from a
    first-side node to its second-side neighbours (first_start/first_next, as in CSR), from a
    second-side node back to its first-side ones (second_start/second_next)."""
    seen_first = np.zeros(n_first, dtype=np.bool_)
    seen_second = np.zeros(n_second, dtype=np.bool_)
    queue = np.empty(n_first, dtype=np.int64)
    size = 0
    for a in start:
        if not seen_first[a]:
            seen_first[a] = True
            queue[size] = a
            size += 1
    head = 0
    while head < size:
        a = queue[head]
        head += 1
        for p in range(first_start[a], first_start[a + 1]):
            b = first_next[p]
            if seen_second[b]:
                continue
            seen_second[b] = True
            for q in range(second_start[b], second_start[b + 1]):
                c = second_next[q]
                if not seen_first[c]:
                    seen_first[c] = True
                    queue[size] = c
                    size += 1
    return seen_first, seen_second


def closed_sets(
    graph: CandidateGraph,
    arc: IntArray,
    urgency: npt.NDArray[np.int8],
    capacity: npt.NDArray[np.int32],
) -> tuple[IntArray, list[npt.NDArray[np.bool_]]]:
    """Per ask, the highest level t whose set Y_t holds it (0: none); per level, Y_t's helpers.

    Levels are 1..3; the list holds the helper masks of Y_1, Y_2, Y_3.
    """
    m = graph.more.shape[0]
    n = capacity.shape[0]
    level = np.zeros(m, dtype=np.int64)
    helper_sets = [np.zeros(n, dtype=np.bool_) for _ in range(3)]
    stuck = (arc < 0) & (graph.blocked == 0)
    if not stuck.any():
        return level, helper_sets
    matched = np.flatnonzero(arc >= 0)
    server = graph.helper[arc[matched]].astype(np.int64)
    # Ask -> each candidate helper; helper -> the asks it serves.
    by_ask, ask_start = group(graph.ask.astype(np.int64), np.arange(graph.size), m)
    by_helper, helper_start = group(server, np.arange(matched.size), n)
    helper_of = graph.helper[by_ask].astype(np.int64)
    served = matched[by_helper]
    for t in (1, 2, 3):
        start = np.flatnonzero(stuck & (urgency >= t))
        if start.size == 0:
            continue
        asks, helpers = _reach(start, ask_start, helper_of, helper_start, served, m, n)
        level[asks] = t
        helper_sets[t - 1] = helpers
    return level, helper_sets


def free_sets(
    graph: CandidateGraph,
    arc: IntArray,
    urgency: npt.NDArray[np.int8],
    capacity: npt.NDArray[np.int32],
    t: int,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """The set F_t: helpers with room at level t (counting only asks of urgency t or more),
    then the asks that could move onto a helper of F_t, the helpers serving those, and on.

    Returns (asks in F_t, helpers in F_t).
    """
    m = graph.more.shape[0]
    n = capacity.shape[0]
    matched = np.flatnonzero((arc >= 0) & (urgency >= t))
    server = graph.helper[arc[matched]].astype(np.int64)
    load = np.bincount(server, minlength=n)
    free = np.flatnonzero((load < capacity) & (capacity > 0))
    # Helper -> every candidate ask of level t; ask -> the helper serving it.
    high = np.flatnonzero(urgency[graph.ask] >= t)
    by_helper, helper_start = group(graph.helper.astype(np.int64), high, n)
    ask_of = graph.ask[by_helper].astype(np.int64)
    by_ask, ask_start = group(matched, np.arange(matched.size), m)
    helpers, asks = _reach(free, helper_start, ask_of, ask_start, server[by_ask], n, m)
    return asks, helpers


def _helper_side(
    graph: CandidateGraph,
    search: CandidateSearch,
    rows: IntArray,
    level: int,
    excluded: npt.NDArray[np.bool_],
    k: int,
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
    helper = np.repeat(rows, counts)
    ask = targets[np.concatenate([np.asarray(f, dtype=np.int64) for f in found if len(f)])]
    outside = ~excluded[ask]
    ask, helper = ask[outside], helper[outside]
    a, h = search.asks, search.helpers
    ok = ((h.categories[helper] >> a.category[ask].astype(np.uint32)) & np.uint32(1)) != 0
    need = a.language[ask].astype(np.int64)
    bit = np.uint64(1) << np.maximum(need, 0).astype(np.uint64)
    ok &= (need < 0) | ((h.languages[helper] & bit) != 0)
    ok &= (a.window_start[ask] <= h.available_to[helper]) & (
        h.available_from[helper] <= a.window_end[ask]
    )
    chord = np.linalg.norm(search.ask_xyz[ask] - search.helper_xyz[helper], axis=1)
    ok &= chord <= search.reach[helper]
    n = len(h)
    # Only the graph's arcs of these helpers can repeat a pair found here.
    searched = np.zeros(n, dtype=np.bool_)
    searched[rows] = True
    mine = searched[graph.helper]
    ok &= ~np.isin(ask * n + helper, graph.ask[mine] * n + graph.helper[mine])
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
) -> CandidateGraph | None:
    """The graph with the pairs that could still raise the weight appended, or None if none
    exist."""
    level, helper_sets = closed_sets(graph, arc, urgency, capacity)
    pieces: list[CandidateGraph] = []
    for t in (3, 2, 1):
        # Either proof will do; each looks for the pairs that would break it. The ask side
        # searches from the asks of Y_t with cut lists, the helper side from the helpers of F_t:
        # take whichever has less to search (F_t is small where helpers are scarce).
        rows = np.flatnonzero((level >= t) & graph.more)
        if rows.size == 0:
            continue
        free_asks, free_helpers = free_sets(graph, arc, urgency, capacity, t)
        helper_rows = np.flatnonzero(free_helpers)
        if helper_rows.size < rows.size:
            found = _helper_side(graph, search, helper_rows, t, free_asks, k)
        else:
            found = search.restricted(helper_sets[t - 1]).search(rows, k, reasons=False)
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
