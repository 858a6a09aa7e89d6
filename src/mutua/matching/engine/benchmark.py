"""The dispatch benchmark behind `mutua bench dispatch` (docs/BENCHMARKS.md).

One run generates a synthetic instance, times the engine, then on the very same candidate
graph the obvious approach (one global min-cost flow) and a greedy dispatcher, and, when the
instance is small enough, the exact optimum over every feasible pair.
"""

from __future__ import annotations

import gc
import resource
import sys
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

import numpy as np
import numpy.typing as npt

from .adjacency import Adjacency
from .candidates import CandidateGraph
from .certify import load_compiled as _load_helper_side
from .exact import exact_optimum
from .greedy import greedy
from .model import Reason, chord_to_km
from .solve import dispatch, global_flow
from .synthetic import generate
from .weight import improve_weight

# The exact check builds dense asks x (helper capacity + asks) matrices: stop at 3,000 each.
EXACT_LIMIT = 3_000
_PROC_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _reset_peak() -> str:
    """Restart the kernel's peak-memory counter for this process, if it lets us.

    Linux resets VmHWM when "5" is written to /proc/self/clear_refs; elsewhere the peak is the
    whole process's (ru_maxrss), which includes generating the instance.
    """
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return "ru_maxrss"
    return "VmHWM"


def _peak_mib(method: str) -> float:
    if method == "VmHWM":
        for line in _PROC_STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def _summary(
    graph: CandidateGraph, arc: npt.NDArray[np.int64], urgency: npt.NDArray[np.int8]
) -> tuple[int, int, float]:
    """(matched, urgency weight, km) of a choice of arcs per ask."""
    matched = arc >= 0
    km = float(chord_to_km(graph.chord[arc[matched]]).sum())
    return int(matched.sum()), int(urgency[matched].astype(np.int64).sum()), km


def warm_up(*, seed: int, k: int, workers: int) -> None:
    """Load everything a timed run would otherwise load or compile inside its time: lazy
    imports, the first thread pools, and every compiled function called from Python (Numba
    compiles on the first call in a process, or loads from its cache; on a fresh checkout,
    compiling them took over a second of a surge's five).

    One tiny run of each regime loads both of the solver's orientations; instances this small
    seldom need completion rounds, so their compiled parts are called directly: the weight
    repair in each direction (three urgent asks wanting one helper search from its room at the
    top level, and from the asks at the others), the extension of the arc groupings, and the
    certificate's helper-side pass."""
    for warm_helpers, warm_asks in ((300, 100), (100, 300)):
        warm = generate(helpers=warm_helpers, asks=warm_asks, seed=seed)
        dispatch(warm.asks, warm.helpers, k=k, workers=workers)
    tail = np.arange(3, dtype=np.int64)
    improve_weight(
        tail,
        np.zeros(3, dtype=np.int64),
        np.zeros(3, dtype=np.bool_),
        np.full(3, 3, dtype=np.int64),
        np.ones(1, dtype=np.int64),
        np.full(3, -1, dtype=np.int64),
    )
    Adjacency.of(tail[:1], tail[:1], 3, 1).extended(tail, np.zeros(3, dtype=np.int64))
    _load_helper_side()


def run_benchmark(
    *,
    helpers: int,
    asks: int,
    seed: int,
    k: int = 8,
    workers: int = 1,
    baseline: bool = True,
    exact: bool = True,
) -> dict[str, Any]:
    started = perf_counter()
    instance = generate(helpers=helpers, asks=asks, seed=seed)
    generate_seconds = perf_counter() - started
    warm_up(seed=seed, k=k, workers=workers)
    gc.collect()
    method = _reset_peak()
    started = perf_counter()
    cpu_started = process_time()
    assignment, graph = dispatch(instance.asks, instance.helpers, k=k, workers=workers)
    seconds = perf_counter() - started
    cpu_seconds = process_time() - cpu_started
    peak = _peak_mib(method)
    urgency = instance.asks.urgency
    matched_mask = assignment.helper >= 0
    weight = int(urgency[matched_mask].astype(np.int64).sum())
    stats = assignment.stats
    reasons = np.bincount(assignment.reason.astype(np.int64), minlength=len(Reason))
    result: dict[str, Any] = {
        "helpers": helpers,
        "asks": asks,
        "seed": seed,
        "k": k,
        "workers": workers,
        "matched": assignment.matched,
        "weight": weight,
        "cost": assignment.cost,
        "seconds": seconds,
        # CPU time of this process (all its threads) during the run: unlike wall time, hardly
        # affected by other jobs sharing the machine.
        "cpu_seconds": cpu_seconds,
        "candidate_seconds": stats["candidate_seconds"],
        "solve_seconds": stats["solve_seconds"],
        "candidate_cpu_seconds": stats["candidate_cpu_seconds"],
        "solve_cpu_seconds": stats["solve_cpu_seconds"],
        "peak_mib": peak,
        "peak_method": method,
        "candidate_pairs": int(stats["candidate_pairs"]),
        "flow_arcs": int(stats["flow_arcs"]),
        "components": int(stats["components"]),
        "widen_rounds": int(stats["widen_rounds"]),
        "surge_pieces": int(stats["surge_pieces"]),
        "unmatched": {Reason(r).name.lower(): int(reasons[r]) for r in range(1, len(Reason))},
        "generate_seconds": generate_seconds,
    }
    if baseline:
        started = perf_counter()
        chosen = global_flow(graph, urgency, instance.helpers.capacity)
        baseline_seconds = perf_counter() - started
        b_matched, b_weight, b_cost = _summary(graph, chosen, urgency)
        result.update(
            baseline_seconds=baseline_seconds,
            baseline_total_seconds=stats["candidate_seconds"] + baseline_seconds,
            baseline_cost=b_cost,
            baseline_matched=b_matched,
            baseline_weight=b_weight,
            speedup=(stats["candidate_seconds"] + baseline_seconds) / seconds,
            solve_speedup=baseline_seconds / max(stats["solve_seconds"], 1e-9),
        )
    started = perf_counter()
    chosen = greedy(graph, urgency, instance.helpers.capacity)
    greedy_seconds = perf_counter() - started
    g_matched, g_weight, g_cost = _summary(graph, chosen, urgency)
    result.update(
        greedy_seconds=greedy_seconds,
        greedy_cost=g_cost,
        greedy_matched=g_matched,
        greedy_weight=g_weight,
    )
    if exact and helpers <= EXACT_LIMIT and asks <= EXACT_LIMIT:
        started = perf_counter()
        optimum = exact_optimum(instance.asks, instance.helpers)
        result.update(
            exact_seconds=perf_counter() - started,
            exact_cost=optimum.cost,
            exact_matched=optimum.matched,
            exact_weight=optimum.weight,
        )
        # The gap in km means something only between assignments of equal urgency weight.
        if optimum.weight == weight:
            result["gap"] = (
                (assignment.cost - optimum.cost) / optimum.cost if optimum.cost > 0 else 0.0
            )
        else:
            result["gap"] = None
            result["gap_note"] = f"matched weight differs: engine {weight}, exact {optimum.weight}"
    return result
