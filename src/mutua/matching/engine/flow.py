"""Exact solves of many independent pieces at once.

Each piece is a transportation problem: every ask sends one unit either to one of its helpers
(cost: the distance in centimetres) or to its outside option (a private helper left by the
reductions) or to "unmatched" (cost B x urgency, B larger than any possible difference in the
piece's total distance, which makes the objective lexicographic). Each piece has its own B,
which keeps costs small.

All pieces are solved by successive shortest paths in one compiled call (transport.py): a
search costs what it explores, never leaves its piece, and stops at the first way to the sink,
so a whole city-sized component is solved exactly, in about the time scipy's sparse assignment
(LAPJVsp) needed for tiles of a thousand nodes (docs/BENCHMARKS.md). `flow`, one OR-Tools
min-cost flow, remains for the benchmark's baseline and as the tests' reference.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from .transport import group, transport

IntArray = npt.NDArray[np.int64]

# OR-Tools scales costs by (nodes + 1) internally; keep the largest arc cost times that (and a
# margin for its potentials) below 2**62.
_COST_LIMIT = 2**62
# Below this many arcs, a second thread costs more than it saves.
PARALLEL_MIN_ARCS = 1_000_000
NO_OPTION = np.iinfo(np.int64).max


def segment_starts(keys: IntArray) -> IntArray:
    """Start positions of runs of equal keys (arcs of one ask are contiguous)."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


def _lexicographic_costs(
    tail: IntArray,
    cost: IntArray,
    outside: IntArray,
    weight: IntArray,
    component: IntArray,
    bound: int,
) -> tuple[IntArray, IntArray]:
    """Arc costs and each ask's outside-or-unmatched cost, coarsened (by powers of ten) only
    if `bound(largest cost)` would otherwise be reached."""
    n_asks = outside.shape[0]
    divisor = 1
    while True:
        arc_cost = cost // divisor
        option = np.where(outside == NO_OPTION, 0, outside // divisor)
        # Per ask the most it could ever pay in distance; B of a piece exceeds their sum, so
        # one more unit of urgency weight always beats any saving in distance.
        most = option.copy()
        starts = segment_starts(tail)
        if starts.size:
            np.maximum.at(most, tail[starts], np.maximum.reduceat(arc_cost, starts))
        bonus = np.zeros(int(component.max()) + 1 if n_asks else 0, dtype=np.int64)
        np.add.at(bonus, component, most)
        bonus += 1
        option = np.where(outside == NO_OPTION, bonus[component] * weight, option)
        largest = int(option.max()) if n_asks else 0
        if largest < bound or largest == 0:
            return arc_cost, option
        divisor *= 10


def flow(
    tail: IntArray,
    head: IntArray,
    cost: IntArray,
    outside: IntArray,
    weight: IntArray,
    component: IntArray,
    capacity: IntArray,
) -> npt.NDArray[np.bool_]:
    """One min-cost flow over disjoint pieces; returns which (tail, head) arcs carry flow.

    tail: local ask per arc (0..A-1, arcs of one ask contiguous), head: local helper per arc
    (0..H-1), cost: centimetres; outside: per ask, the cost of its outside option or NO_OPTION
    (unmatched); weight: urgency; component: per ask, its piece (0..C-1); capacity: per helper.
    """
    n_asks = outside.shape[0]
    n_helpers = capacity.shape[0]
    nodes = n_asks + n_helpers + 1
    sink = n_asks + n_helpers
    arc_cost, option = _lexicographic_costs(
        tail, cost, outside, weight, component, _COST_LIMIT // ((nodes + 1) * 4)
    )
    solver = min_cost_flow.SimpleMinCostFlow()
    asks = np.arange(n_asks, dtype=np.int64)
    helpers = np.arange(n_helpers, dtype=np.int64) + n_asks
    tails = np.concatenate((tail, asks, helpers))
    heads = np.concatenate((head + n_asks, np.full(n_asks, sink), np.full(n_helpers, sink)))
    caps = np.concatenate((np.ones(tail.shape[0] + n_asks, dtype=np.int64), capacity))
    costs = np.concatenate((arc_cost, option, np.zeros(n_helpers, dtype=np.int64)))
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(nodes, dtype=np.int64)
    supplies[:n_asks] = 1
    supplies[sink] = -n_asks
    solver.set_nodes_supplies(np.arange(nodes, dtype=np.int64), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        # Every ask can always go unmatched, so the flow is feasible; anything else is a bug.
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = np.asarray(solver.flows(np.arange(tail.shape[0], dtype=np.int64)))
    result: npt.NDArray[np.bool_] = flows > 0
    return result


def _batches(sizes: IntArray, workers: int) -> IntArray:
    """Assign pieces to workers, largest first onto the least loaded (deterministic)."""
    load = np.zeros(workers, dtype=np.int64)
    batch = np.zeros(sizes.shape[0], dtype=np.int64)
    for job in np.argsort(-sizes, kind="stable").tolist():
        target = int(np.argmin(load))
        batch[job] = target
        load[target] += sizes[job]
    return batch


def solve_pieces(
    tail: IntArray,
    head: IntArray,
    cost: IntArray,
    outside: IntArray,
    weight: IntArray,
    capacity: IntArray,
    ask_piece: IntArray,
    helper_piece: IntArray,
    *,
    workers: int = 1,
) -> tuple[npt.NDArray[np.bool_], dict[str, float]]:
    """The exact optimum of every piece; returns which arcs carry flow, and counts.

    Arcs (tail: ask, head: helper, both local indices) must join an ask and a helper of the same
    piece, the arcs of one ask contiguous. outside: per ask, the cost of its outside option or
    NO_OPTION (unmatched); weight: urgency; capacity: per helper; pieces numbered 0..P-1.

    Each piece is solved from its smaller side (transport.py): asks as sources where its
    helpers' usable capacity covers its asks, helpers' units as sources in a surge, so that
    every search finds room quickly. Pieces are independent, so with `workers` > 1 (and
    enough arcs) they are shared out between threads: the compiled solver releases Python's
    lock.
    """
    n_asks = outside.shape[0]
    n_helpers = capacity.shape[0]
    used = np.zeros(tail.shape[0], dtype=np.bool_)
    if tail.size == 0:
        return used, {"flow_workers": 0, "surge_pieces": 0}
    # No helper can use more units than the arcs that reach it.
    units = np.minimum(np.maximum(capacity, 0), np.bincount(head, minlength=n_helpers))
    pieces = int(max(ask_piece.max(initial=-1), helper_piece.max(initial=-1))) + 1
    asks_in = np.bincount(ask_piece, minlength=pieces)
    units_in = np.bincount(helper_piece, weights=units, minlength=pieces)
    surge_piece = units_in < asks_in
    arc_cost, option = _lexicographic_costs(
        tail, cost, outside, weight, ask_piece, _COST_LIMIT // (4 * (n_asks + n_helpers + 2))
    )
    arc_piece = ask_piece[tail]
    use = min(workers, pieces) if tail.size >= PARALLEL_MIN_ARCS else 1
    batch = _batches(np.bincount(arc_piece, minlength=pieces), use)[arc_piece]
    surge_arc = surge_piece[arc_piece]
    jobs = [
        arcs
        for b in range(use)
        for surge in (False, True)
        if (arcs := np.flatnonzero((batch == b) & (surge_arc == surge))).size
    ]

    def run(arcs: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        surge = bool(surge_arc[arcs[0]])
        order, starts = group(head, arcs, n_helpers) if surge else group(tail, arcs, n_asks)
        degree = starts[1:] - starts[:-1]
        # Sources in the order of their numbers, which the caller gives in map order: each
        # search starts next to the last one, whose nodes are still in cache. (Fewest arcs
        # first was about half the time of random order, but in map order it is slower: at
        # 100,000 x 300,000, 2.7 CPU s for the solve against 2.4.)
        route = np.arange(degree.size, dtype=np.int64)
        if not surge:
            return order, transport(
                starts,
                head[order],
                arc_cost[order],
                (degree > 0).astype(np.int64),
                option,
                units,
                route,
            )
        # Helpers' units route to asks (capacity 1) or stay idle (cost 0); a pair costs its
        # distance minus the ask's outside-or-unmatched cost, which it saves.
        return order, transport(
            starts,
            tail[order],
            arc_cost[order] - option[tail[order]],
            np.where(degree > 0, units, 0),
            np.zeros(n_helpers, dtype=np.int64),
            np.ones(n_asks, dtype=np.int64),
            route,
        )

    if use > 1:
        with ThreadPoolExecutor(max_workers=use) as pool:
            results = list(pool.map(run, jobs))
    else:
        results = [run(arcs) for arcs in jobs]
    for order, flows in results:
        used[order] = flows
    return used, {"flow_workers": use, "surge_pieces": int(surge_piece.sum())}
