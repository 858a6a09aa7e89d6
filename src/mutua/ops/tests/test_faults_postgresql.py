"""PostgreSQL going away under load, against a real `mutua serve` (gunicorn, persistent
connections) on loopback: meanwhile every request gets the clear "try again" answer (a page,
or JSON in the API), never a server error; afterwards the same server answers again by
itself, without a restart, and every ask it said it saved is saved, and no other.

The PostgreSQL server is shared (other test runs use it), so it is not restarted: the
outage is made as a restart looks to mutua. The test database stops accepting connections
(`ALLOW_CONNECTIONS false`) and every connection mutua holds is ended with
`pg_terminate_backend`, which is what a restart does to them; then connections are
allowed again. PostgreSQL runs only: SQLite has no server to lose.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from mutua.aid.models import Ask
from mutua.notify.tests.conftest import free_port

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no database server to restart"
)

WARM_UP_SECONDS = 2.0
OUTAGE_SECONDS = 3.0
RECOVERY_SECONDS = 4.0
# Requests started this long after the database is back must all succeed: time for each
# web thread to find its old connection dead and open a new one.
SETTLE_SECONDS = 1.0
CLIENTS = 4
TRY_AGAIN = "try again in a minute"

_people = itertools.count()


def _ask() -> bytes:
    """An ask from a neighbour who has not asked yet: the same contact asking the same
    again within a day is refused as a duplicate (aid.duplicates), not by the outage."""
    contact = {"name": "Ada", "email": f"neighbour{next(_people)}@example.org"}
    return json.dumps(
        {
            "what": "Shopping for the week",
            "category": "groceries",
            "place": {"lat": 51.5450, "lon": -0.0553},
            "contact": contact,
            "consent": True,
        }
    ).encode()


@dataclass(frozen=True)
class Answer:
    started: float
    finished: float
    kind: str
    status: int
    body: str


def _request(base: str, kind: str) -> Answer:
    started = time.monotonic()
    if kind == "ask":
        request = urllib.request.Request(  # noqa: S310 (the loopback server below)
            f"{base}/api/v1/asks", data=_ask(), headers={"Content-Type": "application/json"}
        )
    elif kind == "board":
        request = urllib.request.Request(f"{base}/board/")  # noqa: S310
    else:
        request = urllib.request.Request(  # noqa: S310
            f"{base}/api/v1/asks?near=51.5450,-0.0553&radius_km=3"
        )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = response.read().decode()
            return Answer(started, time.monotonic(), kind, response.status, body)
    except urllib.error.HTTPError as exc:
        return Answer(started, time.monotonic(), kind, exc.code, exc.read().decode())


@pytest.fixture
def server(tmp_path: Path, transactional_db: None) -> Iterator[str]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mutua.settings",
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}",
        "MUTUA_DATA_DIR": str(tmp_path / "var"),
        "MUTUA_ANONYMOUS_ASKS_PER_ADDRESS": "0",
        "MUTUA_ANONYMOUS_ASKS_PER_CONTACT": "0",
        "MUTUA_LOG_LEVEL": "CRITICAL",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "mutua", "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "serve.log").open("w"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if _request(base, "list").status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@contextmanager
def _maintenance() -> Iterator[Any]:
    """A connection to the server's `postgres` database: PostgreSQL refuses to close the
    door of a database from a connection inside it."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    ) as admin:
        yield admin


def _end_connections(admin: Any, name: str, spare: int) -> None:
    # Every connection to the database but the test's own (`spare`), which checks after.
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid() AND pid <> %s",
        [name, spare],
    )


def test_requests_say_try_again_while_postgresql_is_away_then_recover_by_themselves(server):
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (own,) = cursor.fetchone()
    quoted = connection.ops.quote_name(name)
    answers: list[Answer] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(number: int) -> None:
        kinds = ("ask", "board", "list")
        turn = number
        while not stop.is_set():
            answer = _request(server, kinds[turn % len(kinds)])
            turn += 1
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(WARM_UP_SECONDS)
        with _maintenance() as admin:
            went = time.monotonic()
            admin.execute(f"ALTER DATABASE {quoted} ALLOW_CONNECTIONS false")
            try:
                # Again and again: a connection opened just before the door closed goes too.
                while time.monotonic() < went + OUTAGE_SECONDS:
                    _end_connections(admin, name, own)
                    time.sleep(0.25)
            finally:
                admin.execute(f"ALTER DATABASE {quoted} ALLOW_CONNECTIONS true")
            back = time.monotonic()
        time.sleep(RECOVERY_SECONDS)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)

    statuses = Counter((a.kind, a.status) for a in answers)
    print(f"postgresql outage: {len(answers)} requests, {dict(sorted(statuses.items()))}")
    failed = [a for a in answers if a.status >= 500 and a.status != 503]
    assert failed == [], failed[:3]
    before = [a for a in answers if a.finished < went]
    during = [a for a in answers if went + 0.5 <= a.started and a.finished < back]
    after = [a for a in answers if a.started >= back + SETTLE_SECONDS]
    assert before and all(a.status < 400 for a in before), [a for a in before if a.status >= 400]
    refused = [a for a in during if a.status == 503]
    assert refused, "no request noticed the database going away"
    for answer in refused:
        assert TRY_AGAIN in answer.body.lower(), answer
        if answer.kind == "board":
            assert "<h1>" in answer.body and "Traceback" not in answer.body
        else:
            assert json.loads(answer.body)["detail"]
    assert len(after) >= CLIENTS, "too few requests after the database came back"
    assert all(a.status < 400 for a in after), [a for a in after if a.status >= 400][:3]
    # Nothing saved half-way and nothing lost: exactly the asks answered 201 exist.
    created = sum(1 for a in answers if a.kind == "ask" and a.status == 201)
    assert Ask.objects.count() == created
