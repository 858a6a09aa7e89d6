"""Small random dispatch instances for the engine's property tests (hypothesis strategies)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mutua.matching.engine import AskArrays, HelperArrays

# Everyone within about 20 km of Hackney, so ranges overlap and capacity often binds.
LAT = (51.45, 51.60)
LON = (-0.20, 0.05)
OPEN = float("inf")


def _window(draw: st.DrawFn) -> tuple[float, float]:
    if draw(st.booleans()):
        return -OPEN, OPEN
    start = draw(st.integers(0, 90))
    return float(start), float(start + draw(st.integers(0, 30)))


# (asks, helpers) size ranges of the three regimes: helpers far outnumber asks, about as many
# of each, and a surge (about three asks per helper).
REGIMES = {
    "helpers": ((1, 5), (6, 15)),
    "balanced": ((4, 12), (4, 12)),
    "surge": ((6, 15), (1, 5)),
}


@st.composite
def instances(
    draw: st.DrawFn, max_asks: int = 12, max_helpers: int = 10, regime: str | None = None
) -> tuple[AskArrays, HelperArrays]:
    if regime is None:
        m = draw(st.integers(0, max_asks))
        n = draw(st.integers(0, max_helpers))
    else:
        (low_m, high_m), (low_n, high_n) = REGIMES[regime]
        m = draw(st.integers(low_m, high_m))
        n = draw(st.integers(low_n, high_n))
    coordinate = st.tuples(st.floats(*LAT), st.floats(*LON))
    ask_points = [draw(coordinate) for _ in range(m)]
    helper_points = [draw(coordinate) for _ in range(n)]
    ask_windows = [_window(draw) for _ in range(m)]
    helper_windows = [_window(draw) for _ in range(n)]
    asks = AskArrays(
        lat=np.array([p[0] for p in ask_points], dtype=np.float64),
        lon=np.array([p[1] for p in ask_points], dtype=np.float64),
        category=np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), np.int16),
        urgency=np.array(draw(st.lists(st.integers(1, 3), min_size=m, max_size=m)), np.int8),
        language=np.array(
            draw(st.lists(st.sampled_from([-1, -1, -1, 0, 1]), min_size=m, max_size=m)),
            np.int16,
        ),
        window_start=np.array([w[0] for w in ask_windows], dtype=np.float64),
        window_end=np.array([w[1] for w in ask_windows], dtype=np.float64),
    )
    helpers = HelperArrays(
        lat=np.array([p[0] for p in helper_points], dtype=np.float64),
        lon=np.array([p[1] for p in helper_points], dtype=np.float64),
        radius_km=np.array(
            draw(st.lists(st.floats(0.0, 15.0), min_size=n, max_size=n)), dtype=np.float64
        ),
        categories=np.array(
            draw(st.lists(st.integers(0, 15), min_size=n, max_size=n)), dtype=np.uint32
        ),
        languages=np.array(
            draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.uint64
        ),
        capacity=np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), np.int32),
        available_from=np.array([w[0] for w in helper_windows], dtype=np.float64),
        available_to=np.array([w[1] for w in helper_windows], dtype=np.float64),
    )
    return asks, helpers


def make_asks(**columns: list[float] | list[int]) -> AskArrays:
    """Asks from plain lists; language and windows default to none/open."""
    m = len(columns["lat"])
    return AskArrays(
        lat=np.array(columns["lat"], dtype=np.float64),
        lon=np.array(columns["lon"], dtype=np.float64),
        category=np.array(columns.get("category", [0] * m), dtype=np.int16),
        urgency=np.array(columns.get("urgency", [1] * m), dtype=np.int8),
        language=np.array(columns.get("language", [-1] * m), dtype=np.int16),
        window_start=np.array(columns.get("window_start", [-OPEN] * m), dtype=np.float64),
        window_end=np.array(columns.get("window_end", [OPEN] * m), dtype=np.float64),
    )


def make_helpers(**columns: list[float] | list[int]) -> HelperArrays:
    """Helpers from plain lists; by default they help with category 0, always, capacity 1."""
    n = len(columns["lat"])
    return HelperArrays(
        lat=np.array(columns["lat"], dtype=np.float64),
        lon=np.array(columns["lon"], dtype=np.float64),
        radius_km=np.array(columns.get("radius_km", [5.0] * n), dtype=np.float64),
        categories=np.array(columns.get("categories", [1] * n), dtype=np.uint32),
        languages=np.array(columns.get("languages", [0] * n), dtype=np.uint64),
        capacity=np.array(columns.get("capacity", [1] * n), dtype=np.int32),
        available_from=np.array(columns.get("available_from", [-OPEN] * n), dtype=np.float64),
        available_to=np.array(columns.get("available_to", [OPEN] * n), dtype=np.float64),
    )
