"""A real `mutua serve` on SQLite keeps its database connections between requests (a new
one parses the whole schema again): what another process writes meanwhile is still seen
by the next request, since a kept connection holds no transaction of its own."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from mutua.ops.bench.load import BenchError, Server, login

EMAIL = "late@example.org"
PASSWORD = "a-password-long-enough"


def mutua(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mutua", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_a_served_sqlite_site_sees_at_once_what_another_process_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    url = f"sqlite:///{tmp_path / 'mutua.sqlite3'}"
    # The server and the commands share one data folder: its keys and its database.
    monkeypatch.setenv("MUTUA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    # Its own metrics folder: `mutua serve` empties the one it is given at start, and this
    # process's is the one the metrics tests read.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    mutua("migrate", "--no-input")
    server = Server(database_url=url, workers=1, log=tmp_path / "server.log")
    try:
        server.wait_ready()
        # More requests than the web process has threads, each reading the database:
        # every thread now holds a connection, kept for the requests below.
        for _each in range(12):
            with urllib.request.urlopen(f"{server.base}/healthz", timeout=30) as health:  # noqa: S310
                assert health.status == 200
        with pytest.raises(BenchError):
            login(server.base, email=EMAIL, password=PASSWORD)

        mutua("createuser", EMAIL, "--password", PASSWORD)

        assert "sessionid=" in login(server.base, email=EMAIL, password=PASSWORD)
    finally:
        server.stop()
