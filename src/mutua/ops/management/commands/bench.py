"""`mutua bench dispatch ...` (the engine; mutua.matching) and `mutua bench board ...`:
the board page under load, beside a bare view, on the same server in the same run."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.matching.bench_command import DispatchBench
from mutua.ops.bench import build as bench_build
from mutua.ops.bench import load

# Trafalgar Square: the board's default view of the busiest area.
NEAR = (51.5085, -0.1257)
DEFAULT_BOARD_ASKS = 100_000


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a whole number, not %r") % value) from None
    if number < 1:
        raise argparse.ArgumentTypeError(_("must be 1 or more, not %d") % number)
    return number


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class Command(DispatchBench):
    WHAT = ("dispatch", "board")
    help = gettext_noop(
        "Benchmark dispatch (bench dispatch --helpers N --asks M) or the board under load "
        "(bench board --asks N --clients C --seconds S): N open asks over a national "
        "network, served by `mutua serve` on loopback and driven by wrk, beside a bare view."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        board = parser.add_argument_group(_("bench board"))
        board.add_argument(
            "--clients",
            type=_positive,
            default=50,
            help=_("board: connections kept busy at once (default 50)"),
        )
        board.add_argument(
            "--seconds",
            type=_positive,
            default=15,
            help=_("board: how long to drive each page (default 15)"),
        )
        board.add_argument(
            "--database-url",
            help=_(
                "board: an empty database to build in, e.g. a PostgreSQL one made for this "
                "(default: an SQLite file under var/bench/, reused by later runs)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] != "board":
            super().handle(*args, **options)
            return
        try:
            result = self._board(options)
        except load.BenchError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        for key, value in result.items():
            self.stdout.write(f"{key:<16}{value}")

    def _board(self, options: dict[str, Any]) -> dict[str, Any]:
        asks = options["asks"] if options["asks"] is not None else DEFAULT_BOARD_ASKS
        folder = Path(settings.DATA_DIR) / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        default_file = folder / f"board-{asks}-seed{options['seed']}.sqlite3"
        url = options["database_url"] or f"sqlite:///{default_file}"
        started = time.monotonic()
        if options["database_url"]:
            stored = self._build(url, asks=asks, seed=options["seed"])
        else:
            stored = self._build_file(default_file, url, asks=asks, seed=options["seed"])
        build_seconds = time.monotonic() - started
        server = load.Server(
            database_url=url, workers=options["workers"], log=folder / "server.log"
        )
        try:
            server.wait_ready()
            cookie = load.login(
                server.base, email=bench_build.MEMBER_EMAIL, password=bench_build.MEMBER_PASSWORD
            )
            board_url = f"{server.base}/board/?near={NEAR[0]},{NEAR[1]}"
            bare_url = f"{server.base}/healthz/live"
            clients, seconds = options["clients"], options["seconds"]
            self._progress(_("Warming up"))
            load.drive(bare_url, clients=min(clients, 4), seconds=1)
            load.drive(board_url, clients=min(clients, 4), seconds=1, cookie=cookie)
            self._progress(_("Driving the bare view for %(s)d s") % {"s": seconds})
            bare = load.drive(bare_url, clients=clients, seconds=seconds, cookie=cookie)
            self._progress(_("Driving the board for %(s)d s") % {"s": seconds})
            board = load.drive(board_url, clients=clients, seconds=seconds, cookie=cookie)
        finally:
            server.stop()
        return {
            "asks": stored,
            "clients": clients,
            "seconds": seconds,
            "database": url.split(":", 1)[0],
            "server_workers": options["workers"],
            "board_rps": round(board.rps, 1),
            "bare_rps": round(bare.rps, 1),
            "board_share_of_bare": round(board.rps / bare.rps, 3) if bare.rps else None,
            "board_p50_ms": _ms(board.p50_ms),
            "board_p99_ms": _ms(board.p99_ms),
            "bare_p50_ms": _ms(bare.p50_ms),
            "bare_p99_ms": _ms(bare.p99_ms),
            "board_requests": board.requests,
            "bare_requests": bare.requests,
            "board_errors": board.errors,
            "bare_errors": bare.errors,
            "build_seconds": round(build_seconds, 1),
        }

    def _build_file(self, path: Path, url: str, *, asks: int, seed: int) -> int:
        """An SQLite file, built once: a build cut short leaves no ready mark, and its
        half-filled file is thrown away at the next run."""
        ready = path.with_name(f"{path.name}.ready")
        if not ready.exists():
            for leftover in path.parent.glob(f"{path.name}*"):
                leftover.unlink()
        stored = self._build(url, asks=asks, seed=seed)
        ready.write_text(f"{stored}\n")
        return stored

    def _build(self, url: str, *, asks: int, seed: int) -> int:
        self._progress(
            _("Preparing the database (%(n)d asks; built once, then reused)") % {"n": asks}
        )
        env = {**os.environ, "DATABASE_URL": url}
        argv = [sys.executable, "-m", "mutua.ops.bench", "--asks", str(asks), "--seed", str(seed)]
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines() or [str(result.returncode)]
            raise load.BenchError(_("Building the database failed: %(why)s") % {"why": lines[-1]})
        return int(result.stdout.strip().splitlines()[-1])

    def _progress(self, text: str) -> None:
        self.stderr.write(text)
