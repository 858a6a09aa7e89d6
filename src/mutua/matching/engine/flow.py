"""Exact min-cost flows with OR-Tools, for many small independent pieces at once.

Each piece is a transportation problem: every ask sends one unit either to one of its helpers
(cost: the distance in centimetres) or to its outside option (a private helper left by the
reductions) or to "unmatched" (cost B x urgency, B larger than any possible difference in the
piece's total distance, which makes the objective lexicographic). Pieces are packed into
OR-Tools instances of about a thousand nodes: the solver's work grows faster than linearly
with instance size, while every instance has a fixed Python cost, and pieces in one instance
stay independent (each has its own sink arcs and B).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

IntArray = npt.NDArray[np.int64]

# OR-Tools scales costs by (nodes + 1) internally; keep the largest arc cost times that (and a
# margin for its potentials) below 2**62.
_COST_LIMIT = 2**62
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
        if largest * (nodes + 1) * 4 < _COST_LIMIT or largest == 0:
            break
        divisor *= 10
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
    return [flow(*job) for job in jobs]


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
        # OR-Tools holds the GIL while it solves, so parallel means processes. Forking shares
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
