"""Completion rounds extend the last graph's arc groupings by the pairs appended to it
(adjacency.py) instead of grouping every arc again: the result must be the same arrays."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutua.matching.engine.adjacency import Adjacency

EXAMPLES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(
    st.integers(1, 9).flatmap(
        lambda n_asks: st.tuples(
            st.just(n_asks),
            st.integers(1, 7),
            st.lists(st.tuples(st.integers(0, n_asks - 1), st.integers(0, 6)), max_size=60),
            st.lists(st.integers(0, 60), min_size=1, max_size=3),
        )
    )
)
def test_extending_the_groupings_round_by_round_gives_those_made_from_scratch(
    case: tuple[int, int, list[tuple[int, int]], list[int]],
) -> None:
    n_asks, n_helpers, pairs, cuts = case
    arcs = [(a, h) for a, h in pairs if h < n_helpers]
    tail = np.array([a for a, _ in arcs], dtype=np.int64)
    head = np.array([h for _, h in arcs], dtype=np.int64)
    # Round by round, as completion appends pairs: the first `cut` arcs, then more, then all.
    ends = sorted({min(cut, tail.size) for cut in cuts} | {tail.size})
    grown = Adjacency.of(tail[: ends[0]], head[: ends[0]], n_asks, n_helpers)
    for end in ends[1:]:
        grown = grown.extended(tail[:end], head[:end])
    fresh = Adjacency.of(tail, head, n_asks, n_helpers)
    for name in ("order", "ask_start", "arc_ask", "arc_helper", "helper_arc", "helper_start"):
        assert np.array_equal(getattr(grown, name), getattr(fresh, name)), name
    # And the groupings say what they mean: each position's arc, ask and helper agree.
    assert np.array_equal(tail[fresh.order], fresh.arc_ask)
    assert np.array_equal(head[fresh.order], fresh.arc_helper)
    assert np.array_equal(np.sort(fresh.order), np.arange(tail.size))
    assert (np.diff(fresh.arc_ask) >= 0).all()
    assert np.array_equal(fresh.arc_helper[fresh.helper_arc], np.sort(fresh.arc_helper))
