"""The optimisation on a candidate graph: exact reductions, components, then their flows.

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
components, each an independent min-cost flow with its own B, all solved exactly (flow.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .candidates import CandidateGraph
from .flow import NO_OPTION, flow, segment_starts, solve_pieces
from .model import chord_to_km

IntArray = npt.NDArray[np.int64]

# Distances enter the flow in whole centimetres (coarser only when int64 would overflow).
_UNITS_PER_KM = 100_000
# Reduction rounds stop once a round removes less than this share of the remaining arcs.
_PRUNE_MIN_GAIN = 0.001


@dataclass
class FlowResult:
    """The chosen arc per ask (-1 = unmatched) and what the solve did."""

    arc: IntArray
    stats: dict[str, float]


def arc_costs(graph: CandidateGraph) -> IntArray:
    """Arc costs in whole centimetres of great-circle distance."""
    return np.rint(chord_to_km(graph.chord) * _UNITS_PER_KM).astype(np.int64)


def _reduce(
    graph: CandidateGraph, cost: IntArray, capacity: IntArray
) -> tuple[IntArray, IntArray, IntArray, int]:
    """Rules 1 and 2 (see the module doc). Returns live arcs, outside cost and arc, rounds."""
    m = graph.more.shape[0]
    n = capacity.shape[0]
    outside_cost = np.full(m, NO_OPTION, dtype=np.int64)
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
            first = arcs[segment_starts(graph.ask[arcs])]
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


def _relabel(index: IntArray, rank: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct values of `index` in the order of `rank` (a permutation of 0..n-1, n the
    number of possible values), and each item's position among them, in linear time."""
    n = rank.shape[0]
    key = rank[index]
    present = np.bincount(key, minlength=n) > 0
    by_rank = np.empty(n, dtype=np.int64)
    by_rank[rank] = np.arange(n, dtype=np.int64)
    position = np.cumsum(present) - 1
    return by_rank[np.flatnonzero(present)], position[key]


def solve_graph(
    graph: CandidateGraph,
    urgency: npt.NDArray[np.int8],
    capacity: npt.NDArray[np.int32],
    *,
    workers: int = 1,
    ask_rank: IntArray | None = None,
    helper_rank: IntArray | None = None,
) -> FlowResult:
    """The exact optimum on the candidate graph: reductions, then every component's flow.

    ask_rank, helper_rank: an order of all asks and of all helpers (a permutation each; index
    order if not given) in which the flow numbers its nodes. Any order gives the same optimum;
    the map order (candidates.morton_order) keeps neighbours' data together in memory, and the
    flow's searches, which walk from a node to its neighbours', wait far less for it (at
    100,000 x 300,000 the flow takes about half the time it does in index order).
    """
    cost = arc_costs(graph)
    cap = capacity.astype(np.int64)
    live, outside_cost, outside_arc, rounds = _reduce(graph, cost, cap)
    chosen = outside_arc.copy()
    stats: dict[str, float] = {"reduction_rounds": int(rounds), "flow_arcs": int(live.size)}
    stats.update(components=0, flow_asks=0, flow_workers=0, surge_pieces=0)
    if live.size == 0:
        return FlowResult(chosen, stats)
    if ask_rank is None:
        ask_rank = np.arange(graph.more.shape[0], dtype=np.int64)
    if helper_rank is None:
        helper_rank = np.arange(capacity.shape[0], dtype=np.int64)
    asks, ask_local = _relabel(graph.ask[live], ask_rank)
    helpers, helper_local = _relabel(graph.helper[live], helper_rank)
    n_a = asks.size
    adjacency = coo_matrix(
        (np.ones(live.size, dtype=np.int8), (ask_local, helper_local + n_a)),
        shape=(n_a + helpers.size, n_a + helpers.size),
    )
    n_components, labels = connected_components(adjacency, directed=False)
    labels = labels.astype(np.int64)
    stats.update(components=int(n_components), flow_asks=int(n_a))
    used, flow_stats = solve_pieces(
        ask_local,
        helper_local,
        cost[live],
        outside_cost[asks],
        urgency[asks].astype(np.int64),
        cap[helpers],
        labels[:n_a],
        labels[n_a:],
        workers=workers,
    )
    stats.update(flow_stats)
    picked = live[used]
    chosen[graph.ask[picked]] = picked
    return FlowResult(chosen, stats)


def global_flow(
    graph: CandidateGraph, urgency: npt.NDArray[np.int8], capacity: npt.NDArray[np.int32]
) -> IntArray:
    """The obvious approach, kept as the benchmark's baseline: one flow over the whole graph."""
    m = graph.more.shape[0]
    chosen = np.full(m, -1, dtype=np.int64)
    if graph.size == 0:
        return chosen
    asks, ask_local = np.unique(graph.ask, return_inverse=True)
    helpers, helper_local = np.unique(graph.helper, return_inverse=True)
    used = flow(
        ask_local,
        helper_local,
        arc_costs(graph),
        np.full(asks.size, NO_OPTION, dtype=np.int64),
        urgency[asks].astype(np.int64),
        np.zeros(asks.size, dtype=np.int64),
        capacity[helpers].astype(np.int64),
    )
    picked = np.flatnonzero(used)
    chosen[graph.ask[picked]] = picked
    return chosen
