"""Successive shortest paths for many small transportation problems at once (Numba).

The problem: sources with a supply, targets with a capacity, arcs of capacity 1 from a source
to a target with an integer cost, and for each source a private "bypass" straight to the sink
(its cost per unit; never full). Every unit of supply goes to the sink, through one target or
by its source's bypass, at the least total cost. The engine's pieces are such problems either
way round (flow.py): asks as sources (supply 1, bypass: the outside option or "unmatched"),
helpers as targets; or, in a surge, helpers as sources (supply: their capacity, bypass: idle at
cost 0) and asks as targets (capacity 1).

Each unit is routed by Dijkstra's algorithm on the residual graph with node potentials
(Johnson's reduced costs, never negative), from its source to the sink; the search stops as
soon as the sink is settled, and only the nodes it settled have their potential moved, so one
search costs what it explores, not the size of the whole problem. Independent pieces therefore
share one call: a search never leaves its own piece (the sink is the only node they share, and
a search ends there). The sink is the potentials' fixed reference (its own never moves).

Why the result is optimal: with non-negative reduced costs, each search finds a shortest
augmenting path, and successive shortest paths keep the flow of minimum cost for its value at
every step (the classic argument; Ahuja, Magnanti and Orlin, Network Flows, section 9.7). All
sums are exact int64: costs are kept below 2**62 / (4 x nodes) by the caller.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

IntArray = npt.NDArray[np.int64]

_INF = np.iinfo(np.int64).max


@njit(cache=True, nogil=True)
def _push(heap_key: IntArray, heap_node: IntArray, size: int, key: int, node: int) -> int:
    """Add (key, node) to the binary heap of `size` entries; returns the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if heap_key[parent] <= key:
            break
        heap_key[i] = heap_key[parent]
        heap_node[i] = heap_node[parent]
        i = parent
    heap_key[i] = key
    heap_node[i] = node
    return size + 1


@njit(cache=True, nogil=True)
def _pop(heap_key: IntArray, heap_node: IntArray, size: int) -> int:
    """Remove the smallest entry (read it at index 0 first); returns the new size."""
    size -= 1
    key = heap_key[size]
    node = heap_node[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap_key[child + 1] < heap_key[child]:
            child += 1
        if heap_key[child] >= key:
            break
        heap_key[i] = heap_key[child]
        heap_node[i] = heap_node[child]
        i = child
    if size > 0:
        heap_key[i] = key
        heap_node[i] = node
    return size


@njit(cache=True, nogil=True)
def transport(  # pragma: no cover - compiled; exercised through flow.solve_pieces
    source_start: IntArray,
    arc_target: IntArray,
    arc_cost: IntArray,
    supply: IntArray,
    bypass: IntArray,
    capacity: IntArray,
    route_order: IntArray,
) -> npt.NDArray[np.bool_]:
    """Which arcs carry a unit in a least-cost routing of every source's supply.

    Arcs are grouped by source (source_start, as in CSR); arc_target indexes capacity, which
    must not exceed the number of arcs into a target (more could never be used). Sources are
    routed in route_order: any order gives the optimum, but not in the same time.
    """
    n_sources = supply.shape[0]
    n_targets = capacity.shape[0]
    n_arcs = arc_target.shape[0]
    sink = n_sources + n_targets
    arc_source = np.empty(n_arcs, dtype=np.int64)
    for i in range(n_sources):
        for e in range(source_start[i], source_start[i + 1]):
            arc_source[e] = i
    # Each target's used arcs, in slots (as many as its capacity): the residual arcs back from
    # a target are these few, not every arc into it.
    slot_start = np.zeros(n_targets + 1, dtype=np.int64)
    for j in range(n_targets):
        slot_start[j + 1] = slot_start[j] + max(capacity[j], 0)
    slot_arc = np.full(slot_start[n_targets], -1, dtype=np.int64)
    # Potentials making every residual arc's reduced cost non-negative: sources 0, each target
    # the cheapest arc into it, the sink below everything it is reached from.
    potential = np.zeros(sink + 1, dtype=np.int64)
    cheapest = np.full(n_targets, _INF, dtype=np.int64)
    for e in range(n_arcs):
        cheapest[arc_target[e]] = min(cheapest[arc_target[e]], arc_cost[e])
    lowest = 0
    for j in range(n_targets):
        best = cheapest[j] if cheapest[j] != _INF else 0
        potential[n_sources + j] = best
        lowest = min(lowest, best)
    for i in range(n_sources):
        if supply[i] > 0:
            lowest = min(lowest, bypass[i])
    # The sink's potential is the fixed reference: shift everything so that it is 0.
    for v in range(sink):
        potential[v] -= lowest
    used = np.zeros(n_arcs, dtype=np.bool_)
    load = np.zeros(n_targets, dtype=np.int64)
    distance = np.full(sink + 1, _INF, dtype=np.int64)
    settled = np.zeros(sink + 1, dtype=np.bool_)
    # How a node was reached: the arc (forward into a target, backward into a source), or for
    # the sink, the node it was reached from.
    via = np.full(sink + 1, -1, dtype=np.int64)
    touched = np.empty(sink + 1, dtype=np.int64)
    heap_key = np.empty(n_arcs + 2 * (sink + 1), dtype=np.int64)
    heap_node = np.empty(n_arcs + 2 * (sink + 1), dtype=np.int64)
    for root in route_order:
        for _unit in range(supply[root]):
            n_touched = 0
            size = 0
            distance[root] = 0
            touched[n_touched] = root
            n_touched += 1
            size = _push(heap_key, heap_node, size, 0, root)
            while size > 0:
                d = heap_key[0]
                u = heap_node[0]
                size = _pop(heap_key, heap_node, size)
                if settled[u]:
                    continue
                settled[u] = True
                if u == sink:
                    break
                base = d + potential[u]
                # A node no nearer than the sink's best way so far could never be settled
                # before it: it is not pushed at all (most of a search's pushes, in a surge).
                if u < n_sources:
                    for e in range(source_start[u], source_start[u + 1]):
                        if used[e]:
                            continue
                        v = n_sources + arc_target[e]
                        nd = base + arc_cost[e] - potential[v]
                        if nd < distance[v] and nd < distance[sink]:
                            if distance[v] == _INF:
                                touched[n_touched] = v
                                n_touched += 1
                            distance[v] = nd
                            via[v] = e
                            size = _push(heap_key, heap_node, size, nd, v)
                    nd = base + bypass[u] - potential[sink]
                    if nd < distance[sink]:
                        if distance[sink] == _INF:
                            touched[n_touched] = sink
                            n_touched += 1
                        distance[sink] = nd
                        via[sink] = u
                        size = _push(heap_key, heap_node, size, nd, sink)
                else:
                    j = u - n_sources
                    for t in range(slot_start[j], slot_start[j + 1]):
                        e = slot_arc[t]
                        if e < 0:
                            continue
                        v = arc_source[e]
                        nd = base - arc_cost[e] - potential[v]
                        if nd < distance[v] and nd < distance[sink]:
                            if distance[v] == _INF:
                                touched[n_touched] = v
                                n_touched += 1
                            distance[v] = nd
                            via[v] = e
                            size = _push(heap_key, heap_node, size, nd, v)
                    if load[j] < capacity[j]:
                        nd = base - potential[sink]
                        if nd < distance[sink]:
                            if distance[sink] == _INF:
                                touched[n_touched] = sink
                                n_touched += 1
                            distance[sink] = nd
                            via[sink] = u
                            size = _push(heap_key, heap_node, size, nd, sink)
            # Augment along the path, back from the sink. Each target on it takes the arc it
            # was reached by, in place of the arc it gives up further on (none for the last,
            # which fills a free slot).
            u = via[sink]
            given_up = -1
            if u >= n_sources:
                load[u - n_sources] += 1
            while u != root:
                e = via[u]
                if u >= n_sources:
                    j = u - n_sources
                    used[e] = True
                    for t in range(slot_start[j], slot_start[j + 1]):
                        if slot_arc[t] == given_up:
                            slot_arc[t] = e
                            break
                    u = arc_source[e]
                else:
                    used[e] = False
                    given_up = e
                    u = n_sources + arc_target[e]
            # Settled nodes move by (distance - the sink's), the others stay: every residual
            # arc keeps a non-negative reduced cost, and the sink's potential stays 0.
            total = distance[sink]
            for t in range(n_touched):
                v = touched[t]
                if settled[v] and v != sink:
                    potential[v] += distance[v] - total
                distance[v] = _INF
                settled[v] = False
                via[v] = -1
    return used


@njit(cache=True, nogil=True)
def group(key: IntArray, arcs: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """`arcs` grouped by `key` (0..n-1) in a stable counting sort, and where each group starts."""
    starts = np.zeros(n + 1, dtype=np.int64)
    for e in arcs:
        starts[key[e] + 1] += 1
    for k in range(n):
        starts[k + 1] += starts[k]
    fill = starts[:-1].copy()
    order = np.empty(arcs.shape[0], dtype=np.int64)
    for e in arcs:
        order[fill[key[e]]] = e
        fill[key[e]] += 1
    return order, starts
