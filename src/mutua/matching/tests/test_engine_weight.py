"""Alternating paths raise any matching to the greatest urgency weight (weight.py), the step that
completion rounds use after adding pairs."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutua.matching.engine.candidates import CandidateGraph
from mutua.matching.engine.optimise import global_flow
from mutua.matching.engine.weight import improve_weight

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _weight(urgency: np.ndarray, arc: np.ndarray) -> int:
    return int(urgency[arc >= 0].astype(np.int64).sum())


@EXAMPLES
@given(
    st.integers(1, 12).flatmap(
        lambda n_asks: st.tuples(
            st.just(n_asks),
            st.integers(1, 8),
            st.lists(st.tuples(st.integers(0, n_asks - 1), st.integers(0, 7)), max_size=40),
            st.lists(st.integers(1, 3), min_size=n_asks, max_size=n_asks),
            st.lists(st.integers(0, 2), min_size=8, max_size=8),
        )
    )
)
def test_alternating_paths_reach_the_greatest_weight_from_nothing(
    case: tuple[int, int, list[tuple[int, int]], list[int], list[int]],
) -> None:
    n_asks, n_helpers, pairs, urgency, capacity = case
    arcs = sorted({(a, h) for a, h in pairs if h < n_helpers})
    tail = np.array([a for a, _ in arcs], dtype=np.int64)
    head = np.array([h for _, h in arcs], dtype=np.int64)
    weight = np.array(urgency, dtype=np.int64)
    cap = np.array(capacity[:n_helpers], dtype=np.int64)
    chosen = np.full(n_asks, -1, dtype=np.int64)
    improve_weight(tail, head, np.zeros(n_asks, dtype=np.bool_), weight, cap, chosen)
    matched = chosen >= 0
    assert (tail[chosen[matched]] == np.flatnonzero(matched)).all()
    assert (np.bincount(head[chosen[matched]], minlength=n_helpers) <= cap).all()
    # The reference: one exact lexicographic flow over the same pairs.
    graph = CandidateGraph(
        ask=tail,
        helper=head,
        chord=np.zeros(tail.size),
        more=np.zeros(n_asks, dtype=np.bool_),
        blocked=np.zeros(n_asks, dtype=np.int8),
    )
    best = global_flow(graph, weight.astype(np.int8), cap.astype(np.int32))
    assert int(weight[matched].sum()) == _weight(weight, best)
