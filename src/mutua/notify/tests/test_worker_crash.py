"""A `mutua worker` process killed with SIGKILL in the middle of sending an email: after a
restart every queued message arrives at the SMTP server exactly once.

The worker, the queueing and the checks run in processes of their own against a database
they all reach: a fresh SQLite file, or on a PostgreSQL run the test database itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from mutua.notify.tests.conftest import Inbox, free_port

QUEUED = 5
LEASE_SECONDS = 2


class StallingInbox(Inbox):
    """An SMTP server that, while `stalling`, never answers the end of a message: the
    sender waits, mid-send, until it gives up or dies. A stalled message is not accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.stalling = True
        self.stalled = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stalling:
            self.stalled.set()
            while self.stalling:
                await asyncio.sleep(0.05)
            return "451 Try again later"
        return await super().handle_DATA(server, session, envelope)

    def subjects(self) -> list[str]:
        return sorted(str(message["Subject"]) for _rcpt, message in self.received)


def _database_url(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if connection.vendor == "postgresql":
        # The test database itself, committed to as the worker would see it in production.
        request.getfixturevalue("transactional_db")
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    pytest.skip(f"no way to share a {connection.vendor} test database with a worker process")


@pytest.fixture
def stalling_smtp() -> Iterator[tuple[StallingInbox, int]]:
    inbox = StallingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.stalling = False
        controller.stop()


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _statuses(env: dict[str, str]) -> dict[str, str]:
    rows = json.loads(_run(env, "-m", "mutua.notify.tests.crash_script", "status"))
    return {key: status for key, status, _attempts in rows}


def _wait_until(check: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(
    tmp_path, request, stalling_smtp
):
    inbox, smtp_port = stalling_smtp
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mutua.settings",
        "DATABASE_URL": _database_url(tmp_path, request),
        "MUTUA_DATA_DIR": str(tmp_path / "var"),
        "MUTUA_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "MUTUA_EMAIL_HOST": "127.0.0.1",
        "MUTUA_EMAIL_PORT": str(smtp_port),
        "MUTUA_EMAIL_TIMEOUT": "20",
        "MUTUA_NOTIFY_LEASE_SECONDS": str(LEASE_SECONDS),
        "MUTUA_NOTIFY_SWEEP_SECONDS": "1",
        "MUTUA_LOG_LEVEL": "WARNING",
    }
    if connection.vendor == "sqlite":
        _run(env, "-m", "mutua", "migrate", "--no-input", "-v", "0")
    _run(env, "-m", "mutua.notify.tests.crash_script", "queue", str(QUEUED))
    worker_argv = [sys.executable, "-m", "mutua", "worker", "--interval", "0.1", "-v", "0"]
    log = (tmp_path / "worker.log").open("w")

    def start_worker() -> subprocess.Popen[bytes]:
        # A session of its own, so that the kill reaches the worker and nothing else.
        return subprocess.Popen(
            worker_argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    first = start_worker()
    try:
        # Generous waits: they end as soon as the event comes, and a loaded CI machine is slow.
        assert inbox.stalled.wait(90), (tmp_path / "worker.log").read_text()
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        assert first.returncode == -signal.SIGKILL
        assert inbox.received == []
        assert "sending" in _statuses(env).values()  # it died with a message in hand

        inbox.stalling = False
        second = start_worker()
        try:
            delivered = _wait_until(lambda: len(inbox.received) >= QUEUED, timeout=90)
            assert delivered, (inbox.subjects(), (tmp_path / "worker.log").read_text())
            # Long enough for any lease to run out and the sweep to look again.
            time.sleep(LEASE_SECONDS + 1.5)
        finally:
            second.terminate()
            second.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        log.close()

    assert inbox.subjects() == [f"message {i}" for i in range(QUEUED)]
    assert set(_statuses(env).values()) == {"sent"}
