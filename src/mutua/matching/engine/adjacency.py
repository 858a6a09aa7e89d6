"""A candidate graph's arcs grouped by ask and by helper, made once and extended in place of
being made again.

A completion round reads the same graph twice, in the certificate (certify.py) and in the weight
repair (weight.py), and each round's graph is the previous one with a few thousand pairs
appended. Grouping 2.2 million arcs (a surge of 100,000 x 300,000) is a pass of random writes;
extending the groupings by the appended arcs is a pass of mostly sequential copies, and gives the
very same arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numba import njit

from .transport import group

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Adjacency:
    """Arcs grouped by ask (stable in arc number) and by helper (stable in position)."""

    order: IntArray  # arc numbers, grouped by ask: position p holds arc order[p]
    ask_start: IntArray  # where each ask's positions start
    arc_ask: IntArray  # per position: its ask and helper
    arc_helper: IntArray
    helper_arc: IntArray  # positions, grouped by helper
    helper_start: IntArray  # where each helper's positions start

    @classmethod
    def of(cls, tail: IntArray, head: IntArray, n_asks: int, n_helpers: int) -> Adjacency:
        """The groupings of arcs from `tail` (ask) to `head` (helper)."""
        order, ask_start = group(tail, np.arange(tail.shape[0], dtype=np.int64), n_asks)
        arc_helper = head[order].astype(np.int64)
        helper_arc, helper_start = group(
            arc_helper, np.arange(order.size, dtype=np.int64), n_helpers
        )
        return cls(
            order, ask_start, tail[order].astype(np.int64), arc_helper, helper_arc, helper_start
        )

    def extended(self, tail: IntArray, head: IntArray) -> Adjacency:
        """The groupings of `tail`/`head`, whose first arcs are the ones grouped here and the
        rest appended after them: equal to Adjacency.of(tail, head, ...)."""
        if tail.shape[0] == self.order.shape[0]:
            return self
        return Adjacency(
            *_extend(
                self.order,
                self.ask_start,
                self.arc_ask,
                self.arc_helper,
                self.helper_arc,
                self.helper_start,
                tail.astype(np.int64),
                head.astype(np.int64),
            )
        )


@njit(cache=True, nogil=True)
def _extend(  # pragma: no cover - compiled; exercised through Adjacency.extended
    order: IntArray,
    ask_start: IntArray,
    arc_ask: IntArray,
    arc_helper: IntArray,
    helper_arc: IntArray,
    helper_start: IntArray,
    tail: IntArray,
    head: IntArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray]:
    n_asks = ask_start.shape[0] - 1
    n_helpers = helper_start.shape[0] - 1
    n_old = order.shape[0]
    n_all = tail.shape[0]
    # Each ask's positions move on by the arcs appended to the asks before it; its own appended
    # arcs follow its old ones, in arc order (as a stable grouping puts them).
    shift = np.zeros(n_asks + 1, dtype=np.int64)
    for e in range(n_old, n_all):
        shift[tail[e] + 1] += 1
    for a in range(n_asks):
        shift[a + 1] += shift[a]
    new_ask_start = ask_start + shift
    new_order = np.empty(n_all, dtype=np.int64)
    new_arc_ask = np.empty(n_all, dtype=np.int64)
    new_arc_helper = np.empty(n_all, dtype=np.int64)
    for a in range(n_asks):
        for p in range(ask_start[a], ask_start[a + 1]):
            q = p + shift[a]
            new_order[q] = order[p]
            new_arc_ask[q] = a
            new_arc_helper[q] = arc_helper[p]
    fill = np.empty(n_asks, dtype=np.int64)
    for a in range(n_asks):
        fill[a] = ask_start[a + 1] + shift[a]
    # The appended arcs' new positions, grouped by helper, then sorted within each helper.
    added_start = np.zeros(n_helpers + 1, dtype=np.int64)
    for e in range(n_old, n_all):
        added_start[head[e] + 1] += 1
    for h in range(n_helpers):
        added_start[h + 1] += added_start[h]
    added = np.empty(n_all - n_old, dtype=np.int64)
    put = added_start[:-1].copy()
    for e in range(n_old, n_all):
        a = tail[e]
        q = fill[a]
        fill[a] += 1
        new_order[q] = e
        new_arc_ask[q] = a
        new_arc_helper[q] = head[e]
        added[put[head[e]]] = q
        put[head[e]] += 1
    for h in range(n_helpers):
        # Insertion sort: a helper gains a handful of arcs in a round.
        for i in range(added_start[h] + 1, added_start[h + 1]):
            value = added[i]
            j = i - 1
            while j >= added_start[h] and added[j] > value:
                added[j + 1] = added[j]
                j -= 1
            added[j + 1] = value
    # Each helper's positions: its old ones moved on (their order kept), merged with the added.
    new_helper_start = helper_start + added_start
    new_helper_arc = np.empty(n_all, dtype=np.int64)
    for h in range(n_helpers):
        out = new_helper_start[h]
        i = helper_start[h]
        j = added_start[h]
        while i < helper_start[h + 1] or j < added_start[h + 1]:
            moved = -1
            if i < helper_start[h + 1]:
                p = helper_arc[i]
                moved = p + shift[arc_ask[p]]
            if j < added_start[h + 1] and (moved < 0 or added[j] < moved):
                new_helper_arc[out] = added[j]
                j += 1
            else:
                new_helper_arc[out] = moved
                i += 1
            out += 1
    return new_order, new_ask_start, new_arc_ask, new_arc_helper, new_helper_arc, new_helper_start
