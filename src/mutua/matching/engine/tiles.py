"""Big contested components: the greatest urgency weight exactly, distance by overlapping tiles.

Where about as many asks as helpers (or more) crowd the same towns, most of a city can form
one connected component of the candidate graph, and one min-cost flow over it grows much
faster than linearly (tens of seconds at a few hundred thousand arcs). Such a component is
solved in three steps instead:

1. Tiles. Its asks and helpers are cut, in map order, into tiles of about a thousand nodes,
   and each tile is solved exactly on its own (arcs between tiles dropped).
2. Weight. Alternating paths over the whole component then raise the matching to the greatest
   urgency weight the component allows (weight.py): the first objective is exact.
3. Distance. Bigger tiles, with shifted borders, are solved again exactly, each with the
   matches that cross its border kept as they are (they use up their helper's capacity). The
   tile's current matching is one of its solutions, so its optimum is never worse: urgency
   weight stays the greatest, and total distance can only fall.

What is lost is only distance that an optimum would save by exchanges reaching further than a
tile and its shifts; docs/DISPATCH.md measures it against the exact optimum.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .flow import NO_OPTION, solve_pieces
from .weight import improve_weight

IntArray = npt.NDArray[np.int64]

# Nodes (asks and helpers) per tile: like the packing of small components, where OR-Tools'
# cost-scaling solver is still fast.
TILE_NODES = 1024
# Each pass: tiles of (this many times TILE_NODES) nodes, borders shifted by (this share of a
# tile). Growing tiles let exchanges reach further while the first, small ones stay cheap;
# on a 20,000-ask city component this schedule came within 0.8 % of the exact distance, where
# three passes of equal tiles stayed 2.6 % above it.
_PASSES = ((1, 0.0), (2, 0.5), (4, 0.25), (8, 0.5))


def _tiles(position: IntArray, offset: int, size: int) -> IntArray:
    tile: IntArray = (position + offset) // size
    return tile


def solve_tiled(
    tail: IntArray,
    head: IntArray,
    cost: IntArray,
    outside: IntArray,
    weight: IntArray,
    capacity: IntArray,
    ask_position: IntArray,
    helper_position: IntArray,
    *,
    tile_nodes: int = TILE_NODES,
    workers: int = 1,
) -> tuple[IntArray, dict[str, float]]:
    """The chosen arc per ask (-1: its outside option if it has one, else unmatched).

    Arcs (tail: local ask, head: local helper) are sorted by ask. ask_position and
    helper_position number all nodes together in map order (0..A+H-1).
    """
    n_asks = weight.shape[0]
    chosen = np.full(n_asks, -1, dtype=np.int64)
    has_outside = outside != NO_OPTION
    exchanges = 0
    instances = 0
    for index, (times, share) in enumerate(_PASSES):
        size = int(tile_nodes * times)
        offset = int(share * size)
        ask_tile = _tiles(ask_position, offset, size)
        helper_tile = _tiles(helper_position, offset, size)
        inside = ask_tile[tail] == helper_tile[head]
        current = chosen >= 0
        fixed = np.zeros(n_asks, dtype=np.bool_)
        fixed[current] = ~inside[chosen[current]]
        left = capacity - np.bincount(head[chosen[fixed]], minlength=capacity.shape[0])
        free_arc = inside & ~fixed[tail]
        arcs = np.flatnonzero(free_arc)
        used, stats = solve_pieces(
            tail[arcs],
            head[arcs],
            cost[arcs],
            outside,
            weight,
            left,
            ask_tile,
            helper_tile,
            workers=workers,
        )
        instances += int(stats["flow_instances"])
        chosen[~fixed] = -1
        picked = arcs[used]
        chosen[tail[picked]] = picked
        if index == 0:
            # Cutting the arcs between tiles can cost matches; restore the greatest weight
            # before the shifted passes, which keep it.
            exchanges = improve_weight(tail, head, has_outside, weight, capacity, chosen)
    return chosen, {
        "tiled_asks": n_asks,
        "weight_exchanges": exchanges,
        "tile_instances": instances,
    }
