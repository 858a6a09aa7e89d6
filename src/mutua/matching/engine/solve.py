"""The engine's entry point: validate, find candidates, optimise, complete, report.

docs/DISPATCH.md explains the method; candidates.py, optimise.py, flow.py and certify.py hold
its steps.
"""

from __future__ import annotations

import resource
from time import perf_counter, process_time

import numpy as np

from .adjacency import Adjacency
from .candidates import CandidateGraph, CandidateSearch
from .certify import complete
from .model import (
    AskArrays,
    Assignment,
    EngineInputError,
    HelperArrays,
    Reason,
    chord_to_km,
    validate_asks,
    validate_helpers,
)
from .optimise import global_flow, solve_graph
from .weight import improve_weight

__all__ = ["dispatch", "global_flow", "solve"]


class _Clock:
    """Wall and CPU time of the engine's two phases.

    CPU time counts this process's threads and the worker processes that have finished (the
    flows' forked workers are waited for before a phase ends), so it stays meaningful on a
    shared machine, where waiting inflates wall time.
    """

    def __init__(self) -> None:
        self.wall = {"candidate": 0.0, "solve": 0.0}
        self.cpu = {"candidate": 0.0, "solve": 0.0}
        self._phase = ""
        self._wall = 0.0
        self._cpu = 0.0

    @staticmethod
    def _cpu_now() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return process_time() + children.ru_utime + children.ru_stime

    def start(self, phase: str) -> None:
        self._phase = phase
        self._wall = perf_counter()
        self._cpu = self._cpu_now()

    def stop(self) -> None:
        self.wall[self._phase] += perf_counter() - self._wall
        self.cpu[self._phase] += self._cpu_now() - self._cpu


def dispatch(
    asks: AskArrays, helpers: HelperArrays, *, k: int = 8, workers: int = 1
) -> tuple[Assignment, CandidateGraph]:
    """`solve`, also returning the final candidate graph (the benchmark reuses it)."""
    if k < 1:
        raise EngineInputError(f"k must be 1 or more, got {k}")
    if workers < 1:
        raise EngineInputError(f"workers must be 1 or more, got {workers}")
    asks = validate_asks(asks)
    helpers = validate_helpers(helpers)
    m = len(asks)
    clock = _Clock()
    clock.start("candidate")
    search = CandidateSearch(asks, helpers, workers=workers)
    graph = search.search(np.arange(m, dtype=np.int64), k)
    clock.stop()
    clock.start("solve")
    result = solve_graph(
        graph,
        asks.urgency,
        helpers.capacity,
        workers=workers,
        ask_rank=search.ask_rank,
        helper_rank=search.helper_rank,
    )
    clock.stop()
    widen_rounds = 0
    arc = result.arc
    adjacency: Adjacency | None = None
    # The k limit must not cost urgency weight: look for pairs outside each closed set of stuck
    # asks (certify.py) until there are none. Pairs found are appended to the graph and the
    # matching is raised along alternating paths (weight.py) rather than solved again: they
    # are few, and needed for the first objective only.
    while True:
        clock.start("candidate")
        if adjacency is None:
            adjacency = Adjacency.of(graph.ask, graph.helper, m, len(helpers))
        wider = complete(graph, search, arc, asks.urgency, helpers.capacity, k, adjacency=adjacency)
        clock.stop()
        if wider is None:
            break
        graph = wider
        widen_rounds += 1
        clock.start("solve")
        # The appended pairs join the groupings; the next round's certificate reads them too.
        adjacency = adjacency.extended(graph.ask, graph.helper)
        improve_weight(
            graph.ask,
            graph.helper,
            np.zeros(m, dtype=np.bool_),
            asks.urgency.astype(np.int64),
            helpers.capacity.astype(np.int64),
            arc,
            adjacency=adjacency,
        )
        clock.stop()
    matched_mask = arc >= 0
    helper = np.full(m, -1, dtype=np.int64)
    helper[matched_mask] = graph.helper[arc[matched_mask]]
    distance = np.full(m, np.nan, dtype=np.float64)
    distance[matched_mask] = chord_to_km(graph.chord[arc[matched_mask]])
    reason = np.where(
        matched_mask,
        Reason.MATCHED,
        np.where(graph.blocked == 0, Reason.CAPACITY, graph.blocked),
    ).astype(np.int8)
    stats: dict[str, float] = {
        "candidate_seconds": clock.wall["candidate"],
        "solve_seconds": clock.wall["solve"],
        "candidate_cpu_seconds": clock.cpu["candidate"],
        "solve_cpu_seconds": clock.cpu["solve"],
        "candidate_pairs": graph.size,
        "widen_rounds": widen_rounds,
        "k": k,
        "workers": workers,
        **result.stats,
    }
    stats.setdefault("components", 0)
    assignment = Assignment(
        helper=helper,
        distance_km=distance,
        reason=reason,
        matched=int(matched_mask.sum()),
        cost=float(distance[matched_mask].sum()),
        stats=stats,
    )
    return assignment, graph


def solve(asks: AskArrays, helpers: HelperArrays, *, k: int = 8, workers: int = 1) -> Assignment:
    """Match asks to helpers: most urgency-weighted matches first, then least total distance.

    The urgency weight is the greatest over all feasible pairs; the distance is exact on the
    graph of each ask's k nearest feasible helpers (the pairs that completion adds for the
    weight are used for the weight only; docs/DISPATCH.md measures the distance against the
    optimum over every feasible pair). Deterministic for the same input.
    """
    return dispatch(asks, helpers, k=k, workers=workers)[0]
