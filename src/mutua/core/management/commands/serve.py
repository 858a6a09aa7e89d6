"""`mutua serve`: the web server (gunicorn) and, alongside it, a background task worker."""

from __future__ import annotations

import argparse
import gc
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from mutua.core.gazetteer import gazetteer
from mutua.core.redact import ACCESS_LOG_FORMAT, RedactingGunicornLogger
from mutua.core.serving import serving
from mutua.core.staticfiles import manifest_problem

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a number, not %r") % value) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("must be from 1 to 65535, not %d") % port)
    return port


def _workers(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a number, not %r") % value) from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(_("must be from 1 to 64, not %d") % count)
    return count


class EmbeddedWorker:
    """A `mutua worker` child process, restarted if it dies, stopped with the server."""

    RESTART_DELAY = 5.0
    STOP_TIMEOUT = 20.0

    def __init__(self, argv: list[str], warn: Callable[[str], None]) -> None:
        self._argv = argv
        self._warn = warn
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._supervise, name="mutua-worker", daemon=True)
        self._thread.start()

    def _supervise(self) -> None:
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return
                # Its own process group: Ctrl-C in the terminal reaches only the server,
                # which then stops the worker once, gracefully (a second signal would
                # abort the task in hand).
                process = subprocess.Popen(self._argv, process_group=0)
                self._process = process
            process.wait()
            if self._stopping.is_set():
                return
            self._warn(_("The background worker stopped; starting it again."))
            self._stopping.wait(self.RESTART_DELAY)

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=self.STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(timeout=self.STOP_TIMEOUT)


# gunicorn's "quick" stop (SIGINT or SIGQUIT to a gthread web process) can deadlock it when
# the signal lands while it hands a request to its thread pool: both need the pool's lock,
# and the process hangs until killed 20 s later. Its graceful stop (SIGTERM) takes no lock.
# So Ctrl-C is made graceful in the master, and the web processes leave the terminal's
# process group so that the terminal's SIGINT does not reach them directly.


class _GracefulArbiter(Arbiter):  # type: ignore[misc]
    def handle_int(self) -> None:
        self.handle_term()


def _leave_terminal_group(_server: Any, _worker: Any) -> None:
    os.setpgid(0, 0)


def _freeze_heap() -> None:
    """Put every object alive now (Django, the URLs, the API's schemas, the place index,
    the WSGI application: some 200,000) out of the garbage collector's reach for good.
    They live as long as the process, yet every full collection walked them all: under
    load one took 0.5-0.8 s, a few times a minute, holding every thread of the process,
    and those pauses were the board's slowest requests. A collection now walks only
    what requests made. Done in the master before it forks, so the web processes also
    share these objects' memory instead of each copying the pages a collection touches,
    and again in each web process once it has loaded the application."""
    gc.collect()
    gc.freeze()


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn run in this process: its master handles Ctrl-C and SIGTERM itself."""

    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            # Older gunicorn releases lack some settings (the control socket); skip them.
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        from mutua.wsgi import application

        return application

    def run(self) -> None:
        try:
            _GracefulArbiter(self).run()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None


def _forget_old_metrics() -> None:
    """Request metrics are kept in files per web process (see settings); those of an
    earlier run would be added to this one's."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        for stale in Path(folder).glob("*.db"):
            stale.unlink(missing_ok=True)


class Command(BaseCommand):
    help = gettext_noop(
        "Serve mutua on the web, with a background worker for tasks, until Ctrl-C. "
        "Runs gunicorn; put a proxy such as Caddy or nginx in front for HTTPS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--port", type=_port, default=8000, help=_("port to listen on (default 8000)")
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help=_("address to listen on (default 127.0.0.1; 0.0.0.0 for every network)"),
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("do not run a background worker (run `mutua worker` separately)"),
        )
        parser.add_argument(
            "--workers",
            type=_workers,
            default=2,
            help=_("web server processes, each with 4 threads (default 2)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        self._check_free(host, port)
        try:
            executor = MigrationExecutor(connections["default"])
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            # Drivers explain over several lines; the first says what happened.
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise CommandError(
                _("Cannot reach the database: %(reason)s") % {"reason": reason}
            ) from None
        if pending:
            self.stderr.write(_("The database needs updating: stop and run `mutua migrate`."))
        self._check_static()
        # The web processes are forked from this one with the place index already loaded
        # (and shared): no person's first typed place waits for it (docs/places.md).
        gazetteer()
        shown = f"[{host}]" if ":" in host else host
        address = f"http://{shown}:{port}/"
        self.stdout.write(
            _("mutua is running at %(address)s (Ctrl-C to stop)") % {"address": address}
        )
        if host not in LOCAL_HOSTS:
            self.stdout.write(
                _("Set MUTUA_ALLOWED_HOSTS to the names people use to reach this server.")
            )
        self.stdout.flush()
        # The web processes are forked from this one: they must not share its connections.
        connections.close_all()
        _forget_old_metrics()

        worker = self._worker(options)
        master = os.getpid()
        verbose = options["verbosity"] > 1
        server = Server(
            {
                "bind": f"{shown}:{port}",
                "workers": options["workers"],
                "worker_class": "gthread",
                "threads": 4,
                "timeout": 60,
                "graceful_timeout": 20,
                "loglevel": "info" if verbose else "warning",
                "accesslog": "-" if verbose else None,
                "access_log_format": ACCESS_LOG_FORMAT,
                "logger_class": RedactingGunicornLogger,
                "errorlog": "-",
                "proc_name": "mutua",
                "control_socket_disable": True,
                "post_fork": _leave_terminal_group,
                "post_worker_init": lambda _worker: _freeze_heap(),
                "when_ready": lambda _server: self._ready(worker, address),
                "on_exit": (lambda _server: worker.stop()) if worker else None,
            }
        )
        try:
            server.run()
        except KeyboardInterrupt:
            # Ctrl-C before gunicorn took over the signals: nothing to clean up but the worker.
            pass
        finally:
            # gunicorn's web processes are forks of this one and leave through here too;
            # only the master owns the worker.
            if worker is not None and os.getpid() == master:
                worker.stop()

    def _ready(self, worker: EmbeddedWorker | None, address: str) -> None:
        """The server answers: start the worker, then let apps say their last word."""
        if worker is not None:
            worker.start()
        self.stdout.flush()
        serving.call(address)
        # The web processes are forked after this: they must not share what a handler
        # opened.
        connections.close_all()
        _freeze_heap()

    def _check_static(self) -> None:
        """Say loudly when pages cannot link hashed, long-cached static files: collecting
        them takes too long to do at every start (mutua.core.staticfiles). In development
        (MUTUA_DEBUG) plain names are used anyway."""
        if settings.DEBUG:
            return
        problem = manifest_problem()
        if problem == "missing":
            self.stderr.write(
                _(
                    "Static files are not collected: pages link them by their plain names, "
                    "which browsers keep for a minute only. Run `mutua collectstatic "
                    "--no-input` after each install or upgrade."
                )
            )
        elif problem == "stale":
            self.stderr.write(
                _(
                    "Static files changed since `mutua collectstatic` last ran: pages link "
                    "the old copies. Stop, run `mutua collectstatic --no-input`, and start "
                    "again."
                )
            )

    def _check_free(self, host: str, port: int) -> None:
        """Refuse at once, in one line, when the port is taken (gunicorn would retry 5 times)."""
        try:
            family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                _("Cannot listen on %(host)s port %(port)d (%(reason)s). Choose another --port.")
                % {"host": host, "port": port, "reason": exc.strerror or exc}
            ) from None

    def _worker(self, options: dict[str, Any]) -> EmbeddedWorker | None:
        if options["no_worker"]:
            return None
        if not isinstance(task_backends["default"], DatabaseBackend):
            # Another backend (e.g. immediate) runs tasks without a worker.
            return None
        argv = [sys.executable, "-m", "mutua", "worker", "--verbosity", str(options["verbosity"])]
        return EmbeddedWorker(argv, warn=self.stderr.write)
