"""The engine against the exact optimum computed independently (linear_sum_assignment)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from mutua.matching.engine import AskArrays, HelperArrays, solve
from mutua.matching.engine.exact import exact_optimum
from mutua.matching.engine.synthetic import generate
from mutua.matching.tests.engine_instances import instances, make_asks, make_helpers


def _weight(asks: AskArrays, helper: np.ndarray) -> int:
    return int(asks.urgency[helper >= 0].astype(np.int64).sum())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_asks=14, max_helpers=10))
def test_with_every_feasible_helper_as_a_candidate_the_engine_is_exactly_optimal(
    instance: tuple[AskArrays, HelperArrays],
) -> None:
    asks, helpers = instance
    # k at least the number of helpers: the candidate graph is the whole feasible graph.
    result = solve(asks, helpers, k=max(1, len(helpers)))
    optimum = exact_optimum(asks, helpers)
    assert _weight(asks, result.helper) == optimum.weight
    assert result.matched == optimum.matched
    # Distances enter the flow in whole centimetres: at most half a centimetre off per pair.
    assert result.cost == pytest.approx(optimum.cost, abs=1e-5 * (result.matched + 1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_asks=14, max_helpers=10))
def test_even_with_one_candidate_per_ask_no_urgency_weight_is_lost(
    instance: tuple[AskArrays, HelperArrays],
) -> None:
    asks, helpers = instance
    # Asks stuck for capacity, and those on alternating paths from them, get wider searches
    # until the first objective matches the optimum over every feasible pair.
    result = solve(asks, helpers, k=1)
    assert _weight(asks, result.helper) == exact_optimum(asks, helpers).weight


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_default_k_stays_within_half_a_percent_of_the_optimum(seed: int) -> None:
    instance = generate(helpers=900, asks=600, seed=seed)
    result = solve(instance.asks, instance.helpers)
    optimum = exact_optimum(instance.asks, instance.helpers)
    assert _weight(instance.asks, result.helper) == optimum.weight
    assert result.cost <= optimum.cost * 1.005 + 1e-6


def test_the_exact_solver_itself_prefers_an_extra_match_then_urgency_then_distance() -> None:
    # Ask 0 (urgency 1) is next to helper 0 but also reaches helper 1; ask 1 (urgency 3)
    # reaches only helper 0; ask 2 (urgency 2) also only helper 0, which has room for one.
    asks = make_asks(lat=[51.500, 51.530, 51.531], lon=[-0.1, -0.1, -0.1], urgency=[1, 3, 2])
    helpers = make_helpers(lat=[51.501, 51.480], lon=[-0.1, -0.1], radius_km=[4.0, 4.0])
    optimum = exact_optimum(asks, helpers)
    assert optimum.helper.tolist() == [1, 0, -1]
    assert optimum.weight == 4
