"""The optimisation on a candidate graph: exact reductions, components, then flows or tiles.

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
components. Components up to a few thousand nodes are solved exactly by min-cost flow
(flow.py); bigger ones, where one flow would take tens of seconds, by tiles (tiles.py).
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
from .tiles import TILE_NODES, solve_tiled

IntArray = npt.NDArray[np.int64]

# Distances enter the flow in whole centimetres (coarser only when int64 would overflow).
_UNITS_PER_KM = 100_000
# Reduction rounds stop once a round removes less than this share of the remaining arcs.
_PRUNE_MIN_GAIN = 0.001
# Components with more nodes than this are solved by tiles rather than one exact flow.
BIG_COMPONENT = 8 * TILE_NODES


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


def solve_graph(
    graph: CandidateGraph,
    urgency: npt.NDArray[np.int8],
    capacity: npt.NDArray[np.int32],
    *,
    workers: int = 1,
    ask_position: IntArray | None = None,
    helper_position: IntArray | None = None,
    big_component: int = BIG_COMPONENT,
    tile_nodes: int = TILE_NODES,
) -> FlowResult:
    """The optimum on the candidate graph: exact, except for distance in big components.

    ask_position and helper_position rank all asks and helpers together in map order (the
    tiles follow it); without them, index order is used.
    """
    cost = arc_costs(graph)
    cap = capacity.astype(np.int64)
    live, outside_cost, outside_arc, rounds = _reduce(graph, cost, cap)
    chosen = outside_arc.copy()
    stats: dict[str, float] = {"reduction_rounds": int(rounds), "flow_arcs": int(live.size)}
    stats.update(components=0, flow_asks=0, flow_instances=0, flow_workers=0, tiled_asks=0)
    if live.size == 0:
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
    sizes = np.bincount(labels, minlength=n_components)
    big = sizes > big_component
    ask_big = big[labels[:n_a]]
    helper_big = big[labels[n_a:]]
    arc_big = ask_big[ask_local]
    weights = urgency[asks].astype(np.int64)
    options = outside_cost[asks]
    live_cost = cost[live]
    stats.update(components=int(n_components), flow_asks=int(n_a))
    # Small components: renumbered 0..C-1 in order, packed into flow instances.
    small_ids = np.cumsum(~big) - 1
    small = np.flatnonzero(~arc_big)
    if small.size:
        sub_asks = np.flatnonzero(~ask_big)
        sub_helpers = np.flatnonzero(~helper_big)
        ask_index = np.searchsorted(sub_asks, ask_local[small])
        helper_index = np.searchsorted(sub_helpers, helper_local[small])
        used, flow_stats = solve_pieces(
            ask_index,
            helper_index,
            live_cost[small],
            options[sub_asks],
            weights[sub_asks],
            cap[helpers[sub_helpers]],
            small_ids[labels[:n_a][sub_asks]],
            small_ids[labels[n_a:][sub_helpers]],
            workers=workers,
        )
        stats.update(flow_stats)
        picked = live[small[used]]
        chosen[graph.ask[picked]] = picked
    if ask_big.any():
        sub_asks = np.flatnonzero(ask_big)
        sub_helpers = np.flatnonzero(helper_big)
        arcs = np.flatnonzero(arc_big)
        ask_index = np.searchsorted(sub_asks, ask_local[arcs])
        helper_index = np.searchsorted(sub_helpers, helper_local[arcs])
        global_asks = asks[sub_asks]
        global_helpers = helpers[sub_helpers]
        if ask_position is None or helper_position is None:
            ask_key = global_asks
            helper_key = global_helpers + graph.more.shape[0]
        else:
            ask_key = ask_position[global_asks]
            helper_key = helper_position[global_helpers]
        # Tiles follow the map inside each component: order by (component, map position).
        node_component = np.concatenate((labels[:n_a][sub_asks], labels[n_a:][sub_helpers]))
        node_key = np.concatenate((ask_key, helper_key))
        order = np.lexsort((node_key, node_component))
        position = np.empty(order.size, dtype=np.int64)
        position[order] = np.arange(order.size)
        pick, tile_stats = solve_tiled(
            ask_index,
            helper_index,
            live_cost[arcs],
            options[sub_asks],
            weights[sub_asks],
            cap[global_helpers],
            position[: sub_asks.size],
            position[sub_asks.size :],
            tile_nodes=tile_nodes,
            workers=workers,
        )
        stats.update(tile_stats)
        matched = pick >= 0
        chosen[global_asks[matched]] = live[arcs[pick[matched]]]
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
