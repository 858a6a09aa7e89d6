"""An independent exact optimum, for checking the engine on instances small enough.

No candidate search, no k, no min-cost flow: every (ask, helper) pair is tested against the
hard constraints by brute force, helpers are expanded into one column per unit of capacity,
each ask gets a dummy "unmatched" column, and scipy's Hungarian-type solver
(linear_sum_assignment) finds the assignment with the lexicographic cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from .model import AskArrays, HelperArrays, great_circle_km, validate_asks, validate_helpers


@dataclass
class ExactResult:
    helper: npt.NDArray[np.int64]  # per ask, -1 when unmatched
    distance_km: npt.NDArray[np.float64]
    weight: int  # sum of urgency over matched asks
    matched: int
    cost: float  # km


def feasible_pairs(
    asks: AskArrays, helpers: HelperArrays
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """M x N: which pairs meet every hard constraint, and their great-circle km."""
    distance = great_circle_km(
        asks.lat[:, None], asks.lon[:, None], helpers.lat[None, :], helpers.lon[None, :]
    )
    category = (helpers.categories[None, :] >> asks.category[:, None].astype(np.uint32)) & 1
    need = asks.language.astype(np.int64)
    bit = np.uint64(1) << np.maximum(need, 0).astype(np.uint64)
    language = (need[:, None] < 0) | ((helpers.languages[None, :] & bit[:, None]) != 0)
    time = (asks.window_start[:, None] <= helpers.available_to[None, :]) & (
        helpers.available_from[None, :] <= asks.window_end[:, None]
    )
    ok = (
        (distance <= helpers.radius_km[None, :])
        & (category != 0)
        & language
        & time
        & (helpers.capacity[None, :] > 0)
    )
    return ok, distance


def exact_optimum(asks: AskArrays, helpers: HelperArrays) -> ExactResult:
    asks = validate_asks(asks)
    helpers = validate_helpers(helpers)
    m = len(asks)
    helper_of = np.full(m, -1, dtype=np.int64)
    distance_of = np.full(m, np.nan)
    if m == 0 or len(helpers) == 0:
        return ExactResult(helper_of, distance_of, 0, 0, 0.0)
    ok, distance = feasible_pairs(asks, helpers)
    # A helper never serves more asks than it has feasible ones, so expand by min(cap, degree).
    copies = np.minimum(helpers.capacity.astype(np.int64), ok.sum(axis=0))
    column_helper = np.repeat(np.arange(len(helpers)), copies)
    # One urgency unit is worth more than every ask's longest feasible trip together.
    longest = np.where(ok, distance, 0.0).max(axis=1)
    unit = float(longest.sum()) + 1.0
    weight = asks.urgency.astype(np.float64)
    cost = np.where(
        ok[:, column_helper],
        distance[:, column_helper] - unit * weight[:, None],
        np.inf,
    )
    cost = np.hstack((cost, np.zeros((m, m))))
    rows, cols = linear_sum_assignment(cost)
    real = cols < column_helper.shape[0]
    helper_of[rows[real]] = column_helper[cols[real]]
    matched = helper_of >= 0
    distance_of[matched] = distance[matched, helper_of[matched]]
    return ExactResult(
        helper=helper_of,
        distance_km=distance_of,
        weight=int(asks.urgency[matched].astype(np.int64).sum()),
        matched=int(matched.sum()),
        cost=float(distance_of[matched].sum()),
    )
