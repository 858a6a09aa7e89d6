"""`mutua bench dispatch`: well-formed output on a tiny instance (this is not a timed test)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

CONTRACT = (
    "helpers",
    "asks",
    "matched",
    "seconds",
    "peak_mib",
    "cost",
    "candidate_seconds",
    "baseline_seconds",
    "baseline_cost",
    "exact_cost",
    "gap",
    "greedy_cost",
    "greedy_matched",
    "exact_matched",
    "baseline_matched",
)


def bench(*args: str) -> str:
    out = StringIO()
    call_command("bench", "dispatch", *args, stdout=out)
    return out.getvalue()


def test_json_mode_prints_one_object_with_the_promised_fields() -> None:
    output = bench("--helpers", "600", "--asks", "300", "--seed", "4", "--json")
    result = json.loads(output)
    assert isinstance(result, dict)
    for key in CONTRACT:
        assert key in result, key
    assert (result["helpers"], result["asks"], result["seed"]) == (600, 300, 4)
    assert 0 <= result["matched"] <= 300
    assert result["seconds"] >= result["candidate_seconds"] > 0
    assert result["peak_mib"] > 0


def test_the_engine_is_optimal_on_its_graph_and_never_worse_than_greedy() -> None:
    result = json.loads(bench("--helpers", "900", "--asks", "300", "--seed", "2", "--json"))
    # The global flow on the same graph is the reference optimum for that graph.
    assert result["weight"] == result["baseline_weight"]
    assert result["cost"] == pytest.approx(result["baseline_cost"], abs=1e-4)
    # Lexicographic: more urgency-weighted matches than greedy, or as many and fewer km.
    assert result["weight"] >= result["greedy_weight"]
    if result["weight"] == result["greedy_weight"]:
        assert result["cost"] <= result["greedy_cost"] + 1e-6
    assert result["exact_weight"] == result["weight"]
    assert result["gap"] is not None
    assert 0 <= result["gap"] <= 0.005 + 1e-9


def test_the_same_seed_gives_the_same_instance_and_answer() -> None:
    first = json.loads(bench("--helpers", "400", "--seed", "9", "--json", "--no-baseline"))
    second = json.loads(bench("--helpers", "400", "--seed", "9", "--json", "--no-baseline"))
    assert first["asks"] == 133
    for key in ("matched", "cost", "weight", "candidate_pairs", "unmatched", "exact_cost"):
        assert first[key] == second[key]
    assert "baseline_cost" not in first


def test_table_mode_is_readable() -> None:
    output = bench("--helpers", "300", "--asks", "100", "--no-exact")
    assert "Dispatch benchmark" in output
    assert "candidate_seconds" in output
    assert "exact_cost" not in output


def test_bad_arguments_are_one_clear_error() -> None:
    with pytest.raises(CommandError, match="must be a whole number"):
        bench("--helpers", "many")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("bench", "everything")
