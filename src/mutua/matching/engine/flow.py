"""Exact solves of many small independent pieces at once.

Each piece is a transportation problem: every ask sends one unit either to one of its helpers
(cost: the distance in centimetres) or to its outside option (a private helper left by the
reductions) or to "unmatched" (cost B x urgency, B larger than any possible difference in the
piece's total distance, which makes the objective lexicographic). Pieces are packed into
instances of about a thousand nodes: the solver's work grows faster than linearly with
instance size, while every instance has a fixed Python cost, and pieces in one instance stay
independent (each has its own sink arcs and B).

An instance is solved as a sparse assignment problem (`assignment`): each helper becomes as
many units as its capacity, and scipy's LAPJVsp (`min_weight_full_bipartite_matching`) matches
the smaller side (asks, or units in a surge) fully, with private columns for an ask's outside
option or "unmatched" (or for an idle unit). On the tiles and packed components here it
takes about half the time of OR-Tools' min-cost flow where helpers are plentiful, a little
less in a surge, for the same optimum (docs/BENCHMARKS.md). `flow`, one OR-Tools min-cost
flow, remains for the benchmark's baseline (one global flow over the whole graph).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

IntArray = npt.NDArray[np.int64]

# OR-Tools scales costs by (nodes + 1) internally; keep the largest arc cost times that (and a
# margin for its potentials) below 2**62.
_COST_LIMIT = 2**62
# The assignment solver works in float64: keep every partial sum of costs an exact integer.
_FLOAT_LIMIT = 2**52
# Nodes per flow instance when packing pieces together.
PACK_NODES = 1024
# Below this many arcs, a second process costs more than it saves.
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


def assignment(
    tail: IntArray,
    head: IntArray,
    cost: IntArray,
    outside: IntArray,
    weight: IntArray,
    component: IntArray,
    capacity: IntArray,
) -> npt.NDArray[np.bool_]:
    """The same optimum as `flow` (same arguments), as a sparse assignment problem.

    Helpers become one column (or row) per unit of capacity they could use. The side with
    fewer members is the one that must be fully matched, which keeps the solver's augmenting
    paths short (there is slack on the other side):

    - asks as rows, when capacity is plentiful: columns are the units, then one private
      column per ask for its outside option or "unmatched". Every ask takes exactly one
      column.
    - units as rows, when asks outnumber them (a surge): columns are the asks, then one
      private "idle" column per unit. An ask left without a unit pays its option, so the
      total is the sum of all options plus, for each matched pair, distance minus the ask's
      option: that is the cost of the pair's entry, and an idle unit's is 0.

    LAPJVsp ignores zero entries and every row takes exactly one column, so one constant is
    added to every entry (it changes every solution's total alike).
    """
    n_asks = outside.shape[0]
    n_helpers = capacity.shape[0]
    # No helper can use more units than the arcs that reach it.
    units = np.minimum(np.maximum(capacity, 0), np.bincount(head, minlength=n_helpers))
    first_unit = np.concatenate(([0], np.cumsum(units)))
    n_units = int(first_unit[-1])
    if n_units == 0:
        # No helper here has room: every ask takes its outside option or stays unmatched.
        return np.zeros(tail.shape[0], dtype=np.bool_)
    arc_cost, option = _lexicographic_costs(
        tail, cost, outside, weight, component, _FLOAT_LIMIT // (4 * (n_asks + n_units + 1))
    )
    copies = units[head]
    arc = np.repeat(np.arange(tail.shape[0], dtype=np.int64), copies)
    copy = np.arange(arc.shape[0], dtype=np.int64) - np.repeat(np.cumsum(copies) - copies, copies)
    unit = first_unit[head[arc]] + copy
    unit_helper = np.repeat(np.arange(n_helpers, dtype=np.int64), units)
    helper_of = np.full(n_asks, -1, dtype=np.int64)
    if n_units >= n_asks:
        rows = np.concatenate((tail[arc], np.arange(n_asks, dtype=np.int64)))
        columns = np.concatenate((unit, n_units + np.arange(n_asks, dtype=np.int64)))
        values = np.concatenate((arc_cost[arc], option)).astype(np.float64) + 1.0
        shape = (n_asks, n_units + n_asks)
        row, column = min_weight_full_bipartite_matching(
            csr_matrix((values, (rows, columns)), shape=shape)
        )
        to_unit = column < n_units
        helper_of[row[to_unit]] = unit_helper[column[to_unit]]
    else:
        shift = int(option.max(initial=0)) + 1
        rows = np.concatenate((unit, np.arange(n_units, dtype=np.int64)))
        columns = np.concatenate((tail[arc], n_asks + np.arange(n_units, dtype=np.int64)))
        values = np.concatenate(
            (arc_cost[arc] - option[tail[arc]] + shift, np.full(n_units, shift, dtype=np.int64))
        ).astype(np.float64)
        shape = (n_units, n_asks + n_units)
        row, column = min_weight_full_bipartite_matching(
            csr_matrix((values, (rows, columns)), shape=shape)
        )
        to_ask = column < n_asks
        helper_of[column[to_ask]] = unit_helper[row[to_ask]]
    # An ask has at most one arc to a helper, so the arc is the one to its helper.
    used: npt.NDArray[np.bool_] = helper_of[tail] == head
    return used


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


def _flow_many(jobs: list[tuple[IntArray, ...]]) -> list[npt.NDArray[np.bool_]]:
    return [assignment(*job) for job in jobs]


def _batches(sizes: IntArray, workers: int) -> IntArray:
    """Assign jobs to workers, largest first onto the least loaded (deterministic)."""
    load = np.zeros(workers, dtype=np.int64)
    batch = np.zeros(sizes.shape[0], dtype=np.int64)
    for job in np.argsort(-sizes, kind="stable").tolist():
        target = int(np.argmin(load))
        batch[job] = target
        load[target] += sizes[job]
    return batch


def _ranks(group: IntArray, groups: int) -> tuple[IntArray, IntArray, IntArray]:
    """Stable order by group, each item's rank inside its group, and group start offsets."""
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group, minlength=groups)
    starts = np.concatenate(([0], np.cumsum(counts)))
    rank = np.empty(group.shape[0], dtype=np.int64)
    rank[order] = np.arange(group.shape[0]) - starts[group[order]]
    return order, rank, starts


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
    piece and be sorted by ask. Pieces are numbered 0..P-1 in the order they should be packed
    (neighbouring pieces share an instance).
    """
    if tail.size == 0:
        return np.zeros(0, dtype=np.bool_), {"flow_instances": 0, "flow_workers": 0}
    pieces = int(max(ask_piece.max(initial=-1), helper_piece.max(initial=-1))) + 1
    nodes = np.bincount(ask_piece, minlength=pieces) + np.bincount(helper_piece, minlength=pieces)
    _, instance_of = np.unique((np.cumsum(nodes) - nodes) // PACK_NODES, return_inverse=True)
    instances = int(instance_of.max()) + 1
    first_piece = np.searchsorted(instance_of, np.arange(instances))
    ask_instance = instance_of[ask_piece]
    helper_instance = instance_of[helper_piece]
    arc_instance = ask_instance[tail]
    ask_order, ask_rank, ask_starts = _ranks(ask_instance, instances)
    helper_order, helper_rank, helper_starts = _ranks(helper_instance, instances)
    arc_order, _, arc_starts = _ranks(arc_instance, instances)
    tails = ask_rank[tail][arc_order]
    heads = helper_rank[head][arc_order]
    costs = cost[arc_order]
    options = outside[ask_order]
    weights = weight[ask_order]
    components = (ask_piece - first_piece[ask_instance])[ask_order]
    capacities = capacity[helper_order]
    jobs: list[tuple[IntArray, ...]] = [
        (
            tails[arc_starts[i] : arc_starts[i + 1]],
            heads[arc_starts[i] : arc_starts[i + 1]],
            costs[arc_starts[i] : arc_starts[i + 1]],
            options[ask_starts[i] : ask_starts[i + 1]],
            weights[ask_starts[i] : ask_starts[i + 1]],
            components[ask_starts[i] : ask_starts[i + 1]],
            capacities[helper_starts[i] : helper_starts[i + 1]],
        )
        for i in range(instances)
        if ask_starts[i + 1] > ask_starts[i]
    ]
    with_asks = [i for i in range(instances) if ask_starts[i + 1] > ask_starts[i]]
    use = min(workers, len(jobs)) if tail.size >= PARALLEL_MIN_ARCS else 1
    if use > 1:
        # Processes, not threads: the solver runs under Python's global lock. Forking shares
        # the parent's memory copy-on-write; only the small per-instance arrays travel.
        sizes = np.array([job[0].size for job in jobs], dtype=np.int64)
        batch = _batches(sizes, use)
        groups = [[jobs[i] for i in np.flatnonzero(batch == b).tolist()] for b in range(use)]
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(max_workers=use - 1, mp_context=context) as pool:
            futures = [pool.submit(_flow_many, group) for group in groups[1:]]
            # This process solves the first share itself while the others work.
            solved = [_flow_many(groups[0])] + [future.result() for future in futures]
        results: list[npt.NDArray[np.bool_]] = [np.zeros(0, dtype=np.bool_)] * len(jobs)
        for b, group_result in enumerate(solved):
            for i, used in zip(np.flatnonzero(batch == b).tolist(), group_result, strict=True):
                results[i] = used
    else:
        results = _flow_many(jobs)
    used_sorted = np.zeros(tail.size, dtype=np.bool_)
    for i, used in zip(with_asks, results, strict=True):
        used_sorted[arc_starts[i] : arc_starts[i + 1]] = used
    used_all = np.zeros(tail.size, dtype=np.bool_)
    used_all[arc_order] = used_sorted
    return used_all, {"flow_instances": len(jobs), "flow_workers": use}
