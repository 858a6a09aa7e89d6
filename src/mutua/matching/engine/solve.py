"""The optimisation: exact reductions, connected components, then OR-Tools min-cost flow.

The problem on the candidate graph is a transportation problem: each ask sends one unit either
to a helper (cost = distance) or to "unmatched" (cost = B x urgency, with B larger than any
possible difference in total distance, which makes the objective lexicographic: urgency-weighted
matches first, then kilometres). Before any flow is solved, two reductions shrink the graph
without changing its optimum (docs/DISPATCH.md has the proofs):

1. A helper whose capacity is at least the number of asks still pointing at it can never be a
   bottleneck: its arcs become private "outside options" of those asks (each ask keeps its
   cheapest one) and the helper leaves the graph.
2. An arc that costs at least its ask's outside option is never needed: swapping to the outside
   option frees capacity and costs no more. Dropping it lowers a helper's degree, so rule 1
   applies again; both run to a fixed point (or until they stop paying).

What is left are the contested helpers and the asks that want them. It splits into connected
components; each is an independent min-cost flow with its own B (small B keeps costs far from
int64 overflow). Small components are packed into OR-Tools instances of about a thousand
nodes, solved in this process or, when much is left, also in forked worker processes.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from time import perf_counter

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .candidates import CandidateGraph, CandidateSearch
from .model import (
    AskArrays,
    Assignment,
    EngineInputError,
    HelperArrays,
    Reason,
    chord_to_km,
    validate_asks,
    validate_helpers,
)

# Distances enter the flow in whole centimetres (coarser only when int64 would overflow).
_UNITS_PER_KM = 100_000
# OR-Tools scales costs by (nodes + 1) internally; keep the largest arc cost times that (and a
# margin for its potentials) below 2**62.
_COST_LIMIT = 2**62
# Reduction rounds stop once a round removes less than this share of the remaining arcs.
_PRUNE_MIN_GAIN = 0.001
# Nodes per flow instance when packing small components together (see solve_graph).
_PACK_NODES = 1024
# Below this many arcs left, a second process costs more than it saves.
_PARALLEL_MIN_ARCS = 1_000_000
_NO_OPTION = np.iinfo(np.int64).max


@dataclass
class FlowResult:
    """The chosen arc per ask (-1 = unmatched) and what the solve did."""

    arc: npt.NDArray[np.int64]
    stats: dict[str, float]


def _segment_starts(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Start positions of runs of equal keys (arcs of one ask are contiguous)."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


def arc_costs(graph: CandidateGraph) -> npt.NDArray[np.int64]:
    """Arc costs in whole centimetres of great-circle distance."""
    return np.rint(chord_to_km(graph.chord) * _UNITS_PER_KM).astype(np.int64)


def _flow(
    tail: npt.NDArray[np.int64],
    head: npt.NDArray[np.int64],
    cost: npt.NDArray[np.int64],
    outside: npt.NDArray[np.int64],
    weight: npt.NDArray[np.int64],
    component: npt.NDArray[np.int64],
    capacity: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """One min-cost flow over disjoint components; returns which (tail, head) arcs carry flow.

    tail: local ask per arc (0..A-1), head: local helper per arc (0..H-1), cost: centimetres;
    outside: per ask, the cost of its outside option or _NO_OPTION (unmatched); weight: urgency;
    component: per ask, its component id (0..C-1); capacity: per helper.
    """
    n_asks = outside.shape[0]
    n_helpers = capacity.shape[0]
    nodes = n_asks + n_helpers + 1
    sink = n_asks + n_helpers
    divisor = 1
    while True:
        arc_cost = cost // divisor
        option = np.where(outside == _NO_OPTION, 0, outside // divisor)
        # Per ask the most it could ever pay in distance; B of a component exceeds their sum,
        # so one more unit of urgency weight always beats any saving in distance.
        most = option.copy()
        starts = _segment_starts(tail)
        if starts.size:
            np.maximum.at(most, tail[starts], np.maximum.reduceat(arc_cost, starts))
        bonus = np.zeros(int(component.max()) + 1 if n_asks else 0, dtype=np.int64)
        np.add.at(bonus, component, most)
        bonus += 1
        option = np.where(outside == _NO_OPTION, bonus[component] * weight, option)
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


def _flow_many(jobs: list[tuple[npt.NDArray[np.int64], ...]]) -> list[npt.NDArray[np.bool_]]:
    return [_flow(*job) for job in jobs]


def _reduce(
    graph: CandidateGraph, cost: npt.NDArray[np.int64], capacity: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], int]:
    """Rules 1 and 2 (see the module doc). Returns live arcs, outside cost and arc, rounds."""
    m = graph.more.shape[0]
    n = capacity.shape[0]
    outside_cost = np.full(m, _NO_OPTION, dtype=np.int64)
    outside_arc = np.full(m, -1, dtype=np.int64)
    live = np.arange(graph.size, dtype=np.int64)
    rounds = 0
    while live.size:
        rounds += 1
        live_ask = graph.ask[live]
        live_helper = graph.helper[live]
        degree = np.bincount(live_helper, minlength=n)
        loose = (capacity >= degree)[live_helper]
        if loose.any():
            arcs = live[loose]
            # Arcs of one ask stay contiguous and nearest first, so its first loose arc is its
            # cheapest.
            first = arcs[_segment_starts(graph.ask[arcs])]
            owner = graph.ask[first]
            better = cost[first] < outside_cost[owner]
            outside_cost[owner[better]] = cost[first[better]]
            outside_arc[owner[better]] = first[better]
        keep = ~loose & (cost[live] < outside_cost[live_ask])
        removed = live.size - int(np.count_nonzero(keep))
        live = live[keep]
        if removed <= _PRUNE_MIN_GAIN * (live.size + removed):
            break
    return live, outside_cost, outside_arc, rounds


def _batches(sizes: npt.NDArray[np.int64], workers: int) -> npt.NDArray[np.int64]:
    """Assign jobs to workers, largest first onto the least loaded (deterministic)."""
    load = np.zeros(workers, dtype=np.int64)
    batch = np.zeros(sizes.shape[0], dtype=np.int64)
    for job in np.argsort(-sizes, kind="stable").tolist():
        target = int(np.argmin(load))
        batch[job] = target
        load[target] += sizes[job]
    return batch


def _ranks(group: npt.NDArray[np.int64], groups: int) -> tuple[npt.NDArray[np.int64], ...]:
    """Stable order by group, each item's rank inside its group, and group start offsets."""
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group, minlength=groups)
    starts = np.concatenate(([0], np.cumsum(counts)))
    rank = np.empty(group.shape[0], dtype=np.int64)
    rank[order] = np.arange(group.shape[0]) - starts[group[order]]
    return order, rank, starts


def solve_graph(
    graph: CandidateGraph,
    urgency: npt.NDArray[np.int8],
    capacity: npt.NDArray[np.int32],
    *,
    workers: int = 1,
) -> FlowResult:
    """The optimum on the candidate graph, by reductions, components and min-cost flow."""
    cost = arc_costs(graph)
    cap = capacity.astype(np.int64)
    live, outside_cost, outside_arc, rounds = _reduce(graph, cost, cap)
    chosen = outside_arc.copy()
    stats: dict[str, float] = {"reduction_rounds": rounds, "flow_arcs": int(live.size)}
    if live.size == 0:
        stats.update(components=0, flow_asks=0, flow_instances=0, flow_workers=0)
        return FlowResult(chosen, stats)
    asks, ask_local = np.unique(graph.ask[live], return_inverse=True)
    helpers, helper_local = np.unique(graph.helper[live], return_inverse=True)
    n_a = asks.size
    adjacency = coo_matrix(
        (np.ones(live.size, dtype=np.int8), (ask_local, helper_local + n_a)),
        shape=(n_a + helpers.size, n_a + helpers.size),
    )
    n_components, labels = connected_components(adjacency, directed=False)
    labels = labels.astype(np.int64)
    # Consecutive components share one flow instance of about _PACK_NODES nodes: the solver's
    # work grows faster than linearly with instance size, while every instance has a fixed
    # Python cost, and components in one instance stay independent of each other.
    nodes = np.bincount(labels, minlength=n_components)
    _, instance_of = np.unique((np.cumsum(nodes) - nodes) // _PACK_NODES, return_inverse=True)
    instances = int(instance_of.max()) + 1
    first_component = np.searchsorted(instance_of, np.arange(instances))
    ask_component = labels[:n_a]
    ask_instance = instance_of[ask_component]
    helper_instance = instance_of[labels[n_a:]]
    arc_instance = ask_instance[ask_local]
    ask_order, ask_rank, ask_starts = _ranks(ask_instance, instances)
    helper_order, helper_rank, helper_starts = _ranks(helper_instance, instances)
    arc_order, _, arc_starts = _ranks(arc_instance, instances)
    tails = ask_rank[ask_local][arc_order]
    heads = helper_rank[helper_local][arc_order]
    costs = cost[live][arc_order]
    options = outside_cost[asks][ask_order]
    weights = urgency[asks][ask_order].astype(np.int64)
    components = (ask_component - first_component[ask_instance])[ask_order]
    capacities = cap[helpers][helper_order]
    jobs: list[tuple[npt.NDArray[np.int64], ...]] = [
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
    ]
    use = min(workers, instances) if live.size >= _PARALLEL_MIN_ARCS else 1
    if use > 1:
        # OR-Tools holds the GIL while it solves, so parallel means processes. Forking shares
        # the parent's memory copy-on-write; only the small per-instance arrays travel.
        batch = _batches(np.diff(arc_starts), use)
        groups = [[jobs[i] for i in np.flatnonzero(batch == b).tolist()] for b in range(use)]
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(max_workers=use - 1, mp_context=context) as pool:
            futures = [pool.submit(_flow_many, group) for group in groups[1:]]
            # This process solves the first share itself while the others work.
            solved = [_flow_many(groups[0])] + [future.result() for future in futures]
        results: list[npt.NDArray[np.bool_]] = [np.zeros(0, dtype=np.bool_)] * instances
        for b, group_result in enumerate(solved):
            for i, used in zip(np.flatnonzero(batch == b).tolist(), group_result, strict=True):
                results[i] = used
    else:
        results = _flow_many(jobs)
    used_all = np.concatenate(results)
    picked = live[arc_order[used_all]]
    chosen[graph.ask[picked]] = picked
    stats.update(
        components=int(n_components),
        flow_asks=int(n_a),
        flow_instances=instances,
        flow_workers=use,
    )
    return FlowResult(chosen, stats)


def global_flow(
    graph: CandidateGraph, urgency: npt.NDArray[np.int8], capacity: npt.NDArray[np.int32]
) -> npt.NDArray[np.int64]:
    """The obvious approach, kept as the benchmark's baseline: one flow over the whole graph."""
    m = graph.more.shape[0]
    chosen = np.full(m, -1, dtype=np.int64)
    if graph.size == 0:
        return chosen
    asks, ask_local = np.unique(graph.ask, return_inverse=True)
    helpers, helper_local = np.unique(graph.helper, return_inverse=True)
    used = _flow(
        ask_local,
        helper_local,
        arc_costs(graph),
        np.full(asks.size, _NO_OPTION, dtype=np.int64),
        urgency[asks].astype(np.int64),
        np.zeros(asks.size, dtype=np.int64),
        capacity[helpers].astype(np.int64),
    )
    picked = np.flatnonzero(used)
    chosen[graph.ask[picked]] = picked
    return chosen


def _alternating_reach(
    graph: CandidateGraph,
    arc: npt.NDArray[np.int64],
    capacity: npt.NDArray[np.int32],
    start: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Asks reachable from `start` by alternating paths: from an ask to a candidate helper
    that is full, from that helper to the asks it serves, and on."""
    if not start.any():
        return start
    matched = np.flatnonzero(arc >= 0)
    server = graph.helper[arc[matched]]
    full = np.bincount(server, minlength=capacity.shape[0]) >= capacity
    reached = start.copy()
    frontier = start
    # Frontiers are small (a few asks and their neighbours), so masks beat building a
    # sparse incidence matrix of the whole graph.
    while frontier.any():
        hit = np.zeros(capacity.shape[0], dtype=np.bool_)
        hit[graph.helper[frontier[graph.ask]]] = True
        hit &= full
        frontier = np.zeros_like(reached)
        frontier[matched[hit[server]]] = True
        frontier &= ~reached
        reached |= frontier
    return reached


def _widen(
    graph: CandidateGraph, rows: npt.NDArray[np.int64], wider: CandidateGraph
) -> CandidateGraph:
    """Replace the arcs of `rows` by their wider search."""
    replaced = np.zeros(graph.more.shape[0], dtype=np.bool_)
    replaced[rows] = True
    keep = ~replaced[graph.ask]
    more = graph.more.copy()
    more[rows] = wider.more[rows]
    return replace(
        graph,
        ask=np.concatenate((graph.ask[keep], wider.ask)),
        helper=np.concatenate((graph.helper[keep], wider.helper)),
        chord=np.concatenate((graph.chord[keep], wider.chord)),
        more=more,
    )


def dispatch(
    asks: AskArrays, helpers: HelperArrays, *, k: int = 8, workers: int = 1
) -> tuple[Assignment, CandidateGraph]:
    """`solve`, also returning the final candidate graph (the benchmark reuses it)."""
    if k < 1:
        raise EngineInputError(f"k must be 1 or more, got {k}")
    if workers < 1:
        raise EngineInputError(f"workers must be 1 or more, got {workers}")
    asks = validate_asks(asks)
    helpers = validate_helpers(helpers)
    m = len(asks)
    started = perf_counter()
    search = CandidateSearch(asks, helpers, workers=workers)
    graph = search.search(np.arange(m, dtype=np.int64), k)
    candidate_seconds = perf_counter() - started
    solve_started = perf_counter()
    result = solve_graph(graph, asks.urgency, helpers.capacity, workers=workers)
    solve_seconds = perf_counter() - solve_started
    width = np.full(m, k, dtype=np.int64)
    widen_rounds = 0
    # The k limit must not cost a match. An unmatched ask whose feasible helpers are all taken
    # could still be served if some ask holding one of them (or holding a helper that such an
    # ask could move to, and so on) moved to a helper beyond its own k nearest. So every ask
    # on such an alternating path that has helpers beyond its list gets a wider search, and
    # the graph is solved again, until none is left to widen.
    while True:
        stuck = (result.arc < 0) & (graph.blocked == 0)
        reach = _alternating_reach(graph, result.arc, helpers.capacity, stuck)
        rows = np.flatnonzero(reach & graph.more)
        if rows.size == 0:
            break
        widen_rounds += 1
        width[rows] *= 4
        started = perf_counter()
        for value in np.unique(width[rows]).tolist():
            group = rows[width[rows] == value]
            graph = _widen(graph, group, search.search(group, int(value)))
        candidate_seconds += perf_counter() - started
        solve_started = perf_counter()
        result = solve_graph(graph, asks.urgency, helpers.capacity, workers=workers)
        solve_seconds += perf_counter() - solve_started
    arc = result.arc
    matched_mask = arc >= 0
    helper = np.full(m, -1, dtype=np.int64)
    helper[matched_mask] = graph.helper[arc[matched_mask]]
    distance = np.full(m, np.nan, dtype=np.float64)
    distance[matched_mask] = chord_to_km(graph.chord[arc[matched_mask]])
    reason = np.where(
        matched_mask,
        Reason.MATCHED,
        np.where(graph.blocked == 0, Reason.CAPACITY, graph.blocked),
    ).astype(np.int8)
    stats: dict[str, float] = {
        "candidate_seconds": candidate_seconds,
        "solve_seconds": solve_seconds,
        "candidate_pairs": graph.size,
        "widen_rounds": widen_rounds,
        "k": k,
        "workers": workers,
        **result.stats,
    }
    stats.setdefault("components", 0)
    assignment = Assignment(
        helper=helper,
        distance_km=distance,
        reason=reason,
        matched=int(matched_mask.sum()),
        cost=float(distance[matched_mask].sum()),
        stats=stats,
    )
    return assignment, graph


def solve(asks: AskArrays, helpers: HelperArrays, *, k: int = 8, workers: int = 1) -> Assignment:
    """Match asks to helpers: most urgency-weighted matches first, then least total distance.

    Exact on the graph of each ask's k nearest feasible helpers (widened where an ask would
    otherwise stay unmatched); deterministic for the same input.
    """
    return dispatch(asks, helpers, k=k, workers=workers)[0]
