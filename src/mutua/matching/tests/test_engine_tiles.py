"""Big components: tiles keep the greatest urgency weight and every hard constraint."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutua.matching.engine import AskArrays, HelperArrays
from mutua.matching.engine.candidates import CandidateGraph
from mutua.matching.engine.model import chord_to_km
from mutua.matching.engine.optimise import global_flow, solve_graph
from mutua.matching.engine.solve import dispatch
from mutua.matching.engine.synthetic import generate
from mutua.matching.engine.weight import improve_weight
from mutua.matching.tests.engine_instances import instances

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _weight(urgency: np.ndarray, arc: np.ndarray) -> int:
    return int(urgency[arc >= 0].astype(np.int64).sum())


@EXAMPLES
@given(instances(regime="balanced") | instances(regime="surge"), st.integers(2, 12))
def test_tiles_of_any_size_keep_the_optimal_weight_and_the_capacities(
    instance: tuple[AskArrays, HelperArrays], tile: int
) -> None:
    asks, helpers = instance
    _, graph = dispatch(asks, helpers, k=3)
    # Every component counts as big, so every one is cut into tiles of `tile` nodes.
    tiled = solve_graph(graph, asks.urgency, helpers.capacity, big_component=0, tile_nodes=tile)
    best = global_flow(graph, asks.urgency, helpers.capacity)
    assert _weight(asks.urgency, tiled.arc) == _weight(asks.urgency, best)
    used = tiled.arc[tiled.arc >= 0]
    assert np.unique(graph.ask[used]).size == used.size
    load = np.bincount(graph.helper[used], minlength=len(helpers))
    assert (load <= helpers.capacity).all()
    km = float(chord_to_km(graph.chord[used]).sum())
    optimum_km = float(chord_to_km(graph.chord[best[best >= 0]]).sum())
    assert km >= optimum_km - 1e-6


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


def test_a_city_sized_component_is_tiled_with_a_small_loss_in_distance() -> None:
    instance = generate(helpers=2000, asks=2000, seed=5)
    _, graph = dispatch(instance.asks, instance.helpers)
    urgency, capacity = instance.asks.urgency, instance.helpers.capacity
    tiled = solve_graph(graph, urgency, capacity, big_component=0, tile_nodes=256)
    best = global_flow(graph, urgency, capacity)
    assert tiled.stats["tiled_asks"] > 0
    assert _weight(urgency, tiled.arc) == _weight(urgency, best)
    km = float(chord_to_km(graph.chord[tiled.arc[tiled.arc >= 0]]).sum())
    optimum_km = float(chord_to_km(graph.chord[best[best >= 0]]).sum())
    assert optimum_km - 1e-6 <= km <= optimum_km * 1.05
