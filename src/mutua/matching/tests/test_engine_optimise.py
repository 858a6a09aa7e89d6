"""The optimisation on a candidate graph is exact: the same urgency weight and the same distance,
to the centimetre, as one OR-Tools min-cost flow over the whole graph, in every regime."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from mutua.matching.engine import AskArrays, HelperArrays
from mutua.matching.engine.candidates import CandidateGraph
from mutua.matching.engine.optimise import arc_costs, global_flow, solve_graph
from mutua.matching.engine.solve import dispatch
from mutua.matching.engine.synthetic import generate
from mutua.matching.tests.engine_instances import instances

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(graph: CandidateGraph, urgency: np.ndarray, arc: np.ndarray) -> tuple[int, int]:
    """(urgency weight, total centimetres) of a choice of arcs per ask."""
    used = arc[arc >= 0]
    return int(urgency[arc >= 0].astype(np.int64).sum()), int(arc_costs(graph)[used].sum())


def _check(graph: CandidateGraph, asks: AskArrays, helpers: HelperArrays) -> None:
    solved = solve_graph(graph, asks.urgency, helpers.capacity)
    best = global_flow(graph, asks.urgency, helpers.capacity)
    used = solved.arc[solved.arc >= 0]
    assert np.unique(graph.ask[used]).size == used.size
    assert (np.flatnonzero(solved.arc >= 0) == graph.ask[used]).all()
    load = np.bincount(graph.helper[used], minlength=len(helpers))
    assert (load <= helpers.capacity).all()
    assert _value(graph, asks.urgency, solved.arc) == _value(graph, asks.urgency, best)


@EXAMPLES
@given(instances(regime="helpers") | instances(regime="balanced") | instances(regime="surge"))
def test_the_optimum_on_the_candidate_graph_equals_one_global_flow(
    instance: tuple[AskArrays, HelperArrays],
) -> None:
    asks, helpers = instance
    _, graph = dispatch(asks, helpers, k=3)
    _check(graph, asks, helpers)


@pytest.mark.parametrize(("helpers", "asks"), [(2000, 2000), (700, 2100)])
def test_town_sized_components_are_solved_exactly(helpers: int, asks: int) -> None:
    instance = generate(helpers=helpers, asks=asks, seed=5)
    _, graph = dispatch(instance.asks, instance.helpers)
    # Components of hundreds of asks, which tiles used to cut, come out exact.
    _check(graph, instance.asks, instance.helpers)
