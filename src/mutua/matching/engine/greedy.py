"""The greedy baseline a dispatcher would do by hand: most urgent first, nearest free helper."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .candidates import CandidateGraph


def greedy(
    graph: CandidateGraph, urgency: npt.NDArray[np.int8], capacity: npt.NDArray[np.int32]
) -> npt.NDArray[np.int64]:
    """The arc chosen per ask (-1 = none): pairs by urgency (high first), then distance."""
    m = graph.more.shape[0]
    chosen = np.full(m, -1, dtype=np.int64)
    order = np.lexsort((graph.chord, -urgency[graph.ask].astype(np.int64)))
    left = capacity.astype(np.int64).tolist()
    asks = graph.ask.tolist()
    helpers = graph.helper.tolist()
    taken = bytearray(m)
    picks: list[int] = []
    for arc in order.tolist():
        ask = asks[arc]
        helper = helpers[arc]
        if not taken[ask] and left[helper] > 0:
            taken[ask] = 1
            left[helper] -= 1
            picks.append(arc)
    picked = np.asarray(picks, dtype=np.int64)
    chosen[graph.ask[picked]] = picked
    return chosen
