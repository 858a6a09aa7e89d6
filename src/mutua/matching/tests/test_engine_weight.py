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


@EXAMPLES
@given(
    st.integers(1, 14).flatmap(
        lambda n_asks: st.tuples(
            st.just(n_asks),
            st.integers(1, 6),
            st.lists(
                st.tuples(st.integers(0, n_asks - 1), st.integers(0, 5), st.booleans()),
                max_size=50,
            ),
            st.lists(st.integers(1, 3), min_size=n_asks, max_size=n_asks),
            st.lists(st.integers(0, 2), min_size=6, max_size=6),
        )
    )
)
def test_pairs_added_to_an_optimum_raise_it_to_the_new_optimum_from_either_side(
    case: tuple[int, int, list[tuple[int, int, bool]], list[int], list[int]],
) -> None:
    """What a completion round does: the optimum of some of the pairs, then the rest added.

    With more asks than room, the searches start from the helpers with room; with fewer, from
    the unmatched asks; both must reach the optimum over all the pairs."""
    n_asks, n_helpers, pairs, urgency, capacity = case
    first = {(a, h) for a, h, early in pairs if h < n_helpers and early}
    later = {(a, h) for a, h, _ in pairs if h < n_helpers} - first
    weight = np.array(urgency, dtype=np.int64)
    cap = np.array(capacity[:n_helpers], dtype=np.int64)

    def graph_of(arcs: list[tuple[int, int]]) -> CandidateGraph:
        return CandidateGraph(
            ask=np.array([a for a, _ in arcs], dtype=np.int64),
            helper=np.array([h for _, h in arcs], dtype=np.int64),
            chord=np.zeros(len(arcs)),
            more=np.zeros(n_asks, dtype=np.bool_),
            blocked=np.zeros(n_asks, dtype=np.int8),
        )

    start = graph_of(sorted(first))
    chosen = global_flow(start, weight.astype(np.int8), cap.astype(np.int32))
    # Appended after the first pairs, as completion appends them: the arc numbers stay valid.
    whole = graph_of(sorted(first) + sorted(later))
    improve_weight(whole.ask, whole.helper, np.zeros(n_asks, dtype=np.bool_), weight, cap, chosen)
    matched = chosen >= 0
    assert (whole.ask[chosen[matched]] == np.flatnonzero(matched)).all()
    assert (np.bincount(whole.helper[chosen[matched]], minlength=n_helpers) <= cap).all()
    best = global_flow(whole, weight.astype(np.int8), cap.astype(np.int32))
    assert int(weight[matched].sum()) == _weight(weight, best)
