"""`mutua serve`, without starting a long-running server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutua.core.management.commands.serve import EmbeddedWorker

MUTUA = Path(sys.executable).with_name("mutua")


def mutua(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path)}
    return subprocess.run([str(MUTUA), *args], env=env, capture_output=True, text=True, timeout=60)


def test_serve_help_lists_its_options(tmp_path):
    result = mutua(tmp_path, "serve", "--help")

    assert result.returncode == 0
    for option in ("--port", "--host", "--no-worker", "--workers"):
        assert option in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "argument --port: must be from 1 to 65535"),
        (["--port", "web"], "argument --port: must be a number"),
        (["--workers", "0"], "argument --workers: must be from 1 to 64"),
    ],
)
def test_serve_refuses_bad_arguments_in_one_line(tmp_path, args, message):
    result = mutua(tmp_path, "serve", *args)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_serve_says_in_one_line_when_the_database_is_unreachable(tmp_path):
    env = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path)}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = str(probe.getsockname()[1])

    result = subprocess.run(
        [str(MUTUA), "serve", "--port", free], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Cannot reach the database" in result.stderr
    assert "running at" not in result.stdout


@pytest.mark.django_db
def test_serve_refuses_a_port_already_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(CommandError, match=f"Cannot listen on 127.0.0.1 port {port}"):
            call_command("serve", "--port", str(port), stdout=StringIO())


def test_embedded_worker_is_stopped_with_the_server():
    worker = EmbeddedWorker([sys.executable, "-c", "import time; time.sleep(60)"], warn=print)
    worker.start()
    deadline = time.monotonic() + 10
    while worker._process is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process = worker._process
    assert process is not None and process.poll() is None

    worker.stop()

    assert process.poll() is not None
    assert worker._thread is not None and not worker._thread.is_alive()


def test_embedded_worker_is_started_again_if_it_dies():
    warnings: list[str] = []
    worker = EmbeddedWorker([sys.executable, "-c", "pass"], warn=warnings.append)
    worker.RESTART_DELAY = 0.05
    worker.start()
    deadline = time.monotonic() + 20
    while len(warnings) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)

    worker.stop()

    assert len(warnings) >= 2
    assert "starting it again" in warnings[0]
