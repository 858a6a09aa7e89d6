"""How each database engine is copied and put back: SQLite through its backup API,
PostgreSQL through `pg_dump`, and `pg_restore` piped into one `psql` transaction.
`backups` decides what to back up and when; this module only moves the bytes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from mutua.core.errors import DomainError

BUSY_TIMEOUT_SECONDS = 120


class BackupError(DomainError):
    """A backup or restore that cannot be done; the message says why, in one line."""


def _raw_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def sqlite_backup(target: Path) -> None:
    # Through Django's own connection, so that it works for any database name Django can
    # open (an in-memory test database included); the backup API copies a consistent
    # snapshot while other processes go on writing.
    if connection.in_atomic_block:
        # SQLite answers "locked" for as long as this connection's own transaction is open,
        # and the backup would wait for it forever.
        raise BackupError(_("A backup cannot be made from inside a transaction."))
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS

    def give_up_when_stuck(status: int, remaining: int, total: int) -> None:
        # Another writer keeps the database busy: retried, but not for ever.
        if time.monotonic() > deadline:
            raise BackupError(
                _("The database stayed busy for %(s)d s; no backup was made.")
                % {"s": BUSY_TIMEOUT_SECONDS}
            )

    destination = sqlite3.connect(target)
    try:
        _raw_sqlite().backup(destination, pages=1024, progress=give_up_when_stuck)
    except sqlite3.Error as exc:
        raise BackupError(_("SQLite could not make the backup: %(why)s.") % {"why": exc}) from None
    finally:
        destination.close()


def sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (verdict,) = source.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise BackupError(
                _("%(path)s is damaged (%(why)s); nothing was restored.")
                % {"path": path, "why": verdict}
            )
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        if "django_migrations" not in tables:
            raise BackupError(
                _("%(path)s is an SQLite file but not a mutua database.") % {"path": path}
            )
        # Page by page into the live database: other connections see the restored data
        # when it is complete, and never a half-copied file.
        source.backup(_raw_sqlite())
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            _("Cannot restore %(path)s: %(why)s.") % {"path": path, "why": exc}
        ) from None
    finally:
        source.close()


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database: the password never goes on a
    command line, where other users of the machine could read it."""
    conf = connection.settings_dict
    env = dict(os.environ)
    pairs = {
        "PGDATABASE": conf.get("NAME"),
        "PGUSER": conf.get("USER"),
        "PGPASSWORD": conf.get("PASSWORD"),
        "PGHOST": conf.get("HOST"),
        "PGPORT": conf.get("PORT"),
    }
    env.update({key: str(value) for key, value in pairs.items() if value})
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(tool)s is not installed: install the PostgreSQL client tools "
                "(Debian: apt-get install postgresql-client)."
            )
            % {"tool": name}
        )
    return found


def _run(argv: list[str], **kwargs: Any) -> None:
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    result = subprocess.run(
        argv, env=_pg_environment(), stderr=subprocess.PIPE, check=False, **kwargs
    )
    if result.returncode != 0:
        lines = result.stderr.decode(errors="replace").strip().splitlines()
        reason = lines[0] if lines else f"exit status {result.returncode}"
        raise BackupError(
            _("%(tool)s failed: %(why)s") % {"tool": Path(argv[0]).name, "why": reason}
        )


def pg_dump(target: Path) -> None:
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])


def pg_restore(path: Path) -> None:
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    with tempfile.TemporaryFile() as script:
        # pg_restore checks the file and turns it into SQL before anything is dropped.
        _run([pg_restore, "--no-owner", "--no-privileges", "--file=-", str(path)], stdout=script)
        script.seek(0)
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        connection.close()
        drop = ", ".join(connection.ops.quote_name(table) for table in tables)
        argv = [psql, "--no-psqlrc", "--quiet", "--single-transaction"]
        argv += ["--set=ON_ERROR_STOP=1"]
        if drop:
            argv += ["--command", f"DROP TABLE IF EXISTS {drop} CASCADE"]
        _run([*argv, "--file=-"], stdin=script)
