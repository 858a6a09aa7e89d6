"""`mutua bench board --json`: a real server on loopback, driven by wrk, measured."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mutua.ops.bench.load import BenchError, parse_wrk

WRK_REPORT = """\
Running 3s test @ http://127.0.0.1:41234/board/?near=51.5085,-0.1257
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    48.31ms   10.02ms 120.50ms   80.00%
    Req/Sec   102.50     12.20   130.00     70.00%
  Latency Distribution
     50%   45.10ms
     75%   52.00ms
     90%   60.30ms
     99%    1.20s
  612 requests in 3.01s, 9.80MB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:    203.33
Transfer/sec:      3.26MB
"""


def test_wrks_report_is_read_in_milliseconds_with_every_error_counted():
    load = parse_wrk(WRK_REPORT)
    assert load.requests == 612 and load.rps == pytest.approx(203.33)
    assert load.p50_ms == pytest.approx(45.1) and load.p99_ms == pytest.approx(1200.0)
    assert load.errors == 6


def test_no_request_finished_gives_no_latency_rather_than_zero():
    report = WRK_REPORT.replace("612 requests", "0 requests").replace("203.33", "0.00")
    load = parse_wrk(report)
    assert load.requests == 0 and load.p50_ms is None and load.p99_ms is None


def test_a_report_without_figures_is_an_error_not_a_zero():
    with pytest.raises(BenchError):
        parse_wrk("unable to connect to 127.0.0.1:9 Connection refused")


@pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (.ci/run installs it)")
def test_bench_board_prints_one_json_object_measured_side_by_side(tmp_path: Path):
    env = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    argv = [sys.executable, "-m", "mutua", "bench", "board", "--asks", "300"]
    argv += ["--clients", "2", "--seconds", "1", "--workers", "1", "--json"]

    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["asks"] == 300
    for key in ("board_rps", "bare_rps", "board_p50_ms", "board_p99_ms", "bare_p99_ms"):
        assert result[key] > 0, key
    assert result["board_errors"] == 0 and result["bare_errors"] == 0
    assert result["board_p99_ms"] >= result["board_p50_ms"]
    # Built once under var/bench/, then reused.
    assert list((tmp_path / "bench").glob("board-300-seed1.sqlite3.ready"))
