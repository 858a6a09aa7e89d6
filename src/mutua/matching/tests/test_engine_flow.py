"""The successive shortest paths that solve the engine's pieces give the same optimum as
OR-Tools' min-cost flow, from whichever side they search (hypothesis)."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutua.matching.engine import flow as flow_module
from mutua.matching.engine.flow import NO_OPTION, flow, solve_pieces

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def pieces(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    """One or two independent pieces: asks with up to four arcs each, sorted by ask."""
    n_asks = draw(st.integers(1, 14))
    n_helpers = draw(st.integers(1, 8))
    split = draw(st.integers(0, n_asks))
    component = np.array([0 if a < split else 1 for a in range(n_asks)], dtype=np.int64)
    if split in (0, n_asks):
        component[:] = 0
    # Pieces share no helper (each has its own B): helpers below `border` are piece 0's.
    border = draw(st.integers(0, n_helpers)) if component.any() else n_helpers
    tail, head, cost = [], [], []
    for ask in range(n_asks):
        low, high = (0, border) if component[ask] == 0 else (border, n_helpers)
        if low == high:
            continue
        for helper in sorted(draw(st.sets(st.integers(low, high - 1), max_size=4))):
            tail.append(ask)
            head.append(helper)
            cost.append(draw(st.integers(0, 2_000_000)))
    outside = np.array(
        draw(
            st.lists(
                st.one_of(st.just(NO_OPTION), st.integers(0, 2_000_000)),
                min_size=n_asks,
                max_size=n_asks,
            )
        ),
        dtype=np.int64,
    )
    weight = np.array(draw(st.lists(st.integers(1, 3), min_size=n_asks, max_size=n_asks)))
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=n_helpers, max_size=n_helpers)))
    return (
        np.array(tail, dtype=np.int64),
        np.array(head, dtype=np.int64),
        np.array(cost, dtype=np.int64),
        outside,
        weight.astype(np.int64),
        component,
        capacity.astype(np.int64),
    )


def _value(piece: tuple[np.ndarray, ...], used: np.ndarray) -> tuple[int, int]:
    """(urgency weight matched or kept by an outside option, total cost in centimetres)."""
    tail, head, cost, outside, weight, _component, capacity = piece
    load = np.bincount(head[used], minlength=capacity.shape[0])
    assert (load <= capacity).all()
    assert np.bincount(tail[used], minlength=outside.shape[0]).max(initial=0) <= 1
    served = np.zeros(outside.shape[0], dtype=bool)
    served[tail[used]] = True
    option = ~served & (outside != NO_OPTION)
    kept = served | option
    return int(weight[kept].sum()), int(cost[used].sum() + outside[option].sum())


def _solve(piece: tuple[np.ndarray, ...], workers: int = 1) -> np.ndarray:
    tail, head, cost, outside, weight, component, capacity = piece
    # A helper belongs to the piece of the asks that reach it (pieces share no helper).
    helper_piece = np.zeros(capacity.shape[0], dtype=np.int64)
    helper_piece[head] = component[tail]
    used, _stats = solve_pieces(
        tail, head, cost, outside, weight, capacity, component, helper_piece, workers=workers
    )
    return used


@FAST
@given(pieces())
def test_the_shortest_paths_and_the_flow_reach_the_same_optimum(piece: tuple[np.ndarray, ...]):
    assert _value(piece, _solve(piece)) == _value(piece, flow(*piece))


@FAST
@given(pieces())
def test_pieces_shared_between_threads_give_the_same_choice(piece: tuple[np.ndarray, ...]):
    # However few the arcs, so that the threads run.
    with patch.object(flow_module, "PARALLEL_MIN_ARCS", 0):
        shared = _solve(piece, workers=2)
    assert shared.tolist() == _solve(piece).tolist()


def test_a_piece_whose_helpers_have_no_room_keeps_every_ask_unmatched():
    piece = (
        np.array([0, 1]),
        np.array([0, 0]),
        np.array([5, 7]),
        np.array([NO_OPTION, 3]),
        np.array([2, 1]),
        np.array([0, 0]),
        np.array([0]),
    )
    assert _solve(piece).tolist() == [False, False]
