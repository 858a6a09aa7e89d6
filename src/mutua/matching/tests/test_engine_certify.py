"""The certificate's helper-side search tests the pairs in the helpers' balls in one compiled
pass (certify._feasible): it must keep exactly the pairs the tests say, one by one, in order."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutua.matching.engine.adjacency import Adjacency
from mutua.matching.engine.certify import _feasible

EXAMPLES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

N_ASKS = 8
N_HELPERS = 5
HOURS = st.sampled_from([-np.inf, 0.0, 9.0, 12.0, 17.0, np.inf])


@EXAMPLES
@given(
    asks=st.lists(
        st.tuples(st.integers(0, 4), st.integers(-1, 63), HOURS, HOURS, st.booleans()),
        min_size=N_ASKS,
        max_size=N_ASKS,
    ),
    helpers=st.lists(
        st.tuples(st.integers(0, 2**5 - 1), st.integers(0, 2**64 - 1), HOURS, HOURS),
        min_size=N_HELPERS,
        max_size=N_HELPERS,
    ),
    arcs=st.lists(
        st.tuples(st.integers(0, N_ASKS - 1), st.integers(0, N_HELPERS - 1)), unique=True
    ),
    balls=st.dictionaries(
        st.integers(0, N_HELPERS - 1), st.lists(st.integers(0, N_ASKS - 1), unique=True)
    ),
)
def test_the_compiled_pair_filter_keeps_the_pairs_each_test_keeps(
    asks: list[tuple[int, int, float, float, bool]],
    helpers: list[tuple[int, int, float, float]],
    arcs: list[tuple[int, int]],
    balls: dict[int, list[int]],
) -> None:
    category = np.array([a[0] for a in asks], dtype=np.int16)
    language = np.array([a[1] for a in asks], dtype=np.int16)
    window_start = np.array([min(a[2], a[3]) for a in asks])
    window_end = np.array([max(a[2], a[3]) for a in asks])
    excluded = np.array([a[4] for a in asks], dtype=np.bool_)
    categories = np.array([h[0] for h in helpers], dtype=np.uint32)
    languages = np.array([h[1] for h in helpers], dtype=np.uint64)
    available_from = np.array([min(h[2], h[3]) for h in helpers])
    available_to = np.array([max(h[2], h[3]) for h in helpers])
    tail = np.array([a for a, _ in arcs], dtype=np.int64)
    head = np.array([h for _, h in arcs], dtype=np.int64)
    adjacency = Adjacency.of(tail, head, N_ASKS, N_HELPERS)
    rows = np.array(sorted(balls), dtype=np.int64)
    counts = np.array([len(balls[r]) for r in rows], dtype=np.int64)
    found = np.array([b for r in rows for b in balls[r]], dtype=np.int64)

    ask, helper = _feasible(
        rows,
        counts,
        found,
        excluded,
        categories,
        category,
        languages,
        language,
        available_from,
        available_to,
        window_start,
        window_end,
        adjacency.helper_start,
        adjacency.arc_ask[adjacency.helper_arc],
    )

    expected = [
        (b, r)
        for r in rows.tolist()
        for b in balls[r]
        if not excluded[b]
        and (b, r) not in arcs
        and categories[r] >> category[b] & 1
        and (language[b] < 0 or int(languages[r]) >> int(language[b]) & 1)
        and window_start[b] <= available_to[r]
        and available_from[r] <= window_end[b]
    ]
    assert list(zip(ask.tolist(), helper.tolist(), strict=True)) == expected
