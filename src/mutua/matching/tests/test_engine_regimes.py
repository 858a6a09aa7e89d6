"""The engine in every regime: helpers far outnumbering asks, as many of each, and a surge.

Against the exact optimum over every feasible pair (exact.py: no candidates, no flow).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from mutua.matching.engine import AskArrays, HelperArrays, solve
from mutua.matching.engine.exact import exact_optimum, feasible_pairs
from mutua.matching.engine.synthetic import generate
from mutua.matching.tests.engine_instances import REGIMES, instances

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# helpers x asks of the exact-size instances, one per regime.
SIZES = {"helpers": (1500, 500), "balanced": (1000, 1000), "surge": (500, 1500)}


def _weight(asks: AskArrays, helper: np.ndarray) -> int:
    return int(asks.urgency[helper >= 0].astype(np.int64).sum())


@pytest.mark.parametrize("regime", sorted(SIZES))
@pytest.mark.parametrize("seed", [11, 12])
def test_synthetic_instances_are_exact_in_weight_and_within_half_a_percent(
    regime: str, seed: int
) -> None:
    n_helpers, n_asks = SIZES[regime]
    instance = generate(helpers=n_helpers, asks=n_asks, seed=seed)
    result = solve(instance.asks, instance.helpers)
    optimum = exact_optimum(instance.asks, instance.helpers)
    assert _weight(instance.asks, result.helper) == optimum.weight
    assert result.matched == optimum.matched
    assert optimum.cost - 1e-6 <= result.cost <= optimum.cost * 1.005 + 1e-6


@pytest.mark.parametrize("regime", sorted(REGIMES))
def test_even_one_candidate_per_ask_loses_no_urgency_weight(regime: str) -> None:
    @EXAMPLES
    @given(instances(regime=regime))
    def check(instance: tuple[AskArrays, HelperArrays]) -> None:
        asks, helpers = instance
        # The certificate (ask side or helper side, whichever is smaller) must find whatever
        # pairs the first objective needs beyond each ask's nearest helper.
        result = solve(asks, helpers, k=1)
        assert _weight(asks, result.helper) == exact_optimum(asks, helpers).weight

    check()


@pytest.mark.parametrize("regime", sorted(REGIMES))
def test_no_hard_constraint_is_broken_in_any_regime(regime: str) -> None:
    @EXAMPLES
    @given(instances(regime=regime))
    def check(instance: tuple[AskArrays, HelperArrays]) -> None:
        asks, helpers = instance
        result = solve(asks, helpers, k=2)
        ok, distance = feasible_pairs(asks, helpers)
        matched = np.flatnonzero(result.helper >= 0)
        for ask in matched.tolist():
            helper = int(result.helper[ask])
            at_radius = abs(distance[ask, helper] - helpers.radius_km[helper]) < 1e-9
            assert ok[ask, helper] or at_radius
        load = np.bincount(result.helper[matched], minlength=len(helpers))
        assert (load <= helpers.capacity).all()

    check()
