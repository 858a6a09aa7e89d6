"""Consistent online backups of the whole database, and restoring them.

SQLite is copied with its own backup API (a consistent snapshot while the server runs);
PostgreSQL with `pg_dump` in its custom format, restored with `pg_restore` piped into one
`psql` transaction, so that a failed restore leaves the database as it was.

A backup holds contact details only as ciphertext: it is useless without the encryption
key, and the key must not travel with it (README, "Backups"). Each backup gets a small
manifest beside it naming the fingerprints of the keys it needs, never the keys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from mutua import __version__
from mutua.core import crypto
from mutua.core.fields import EncryptedFloatField, EncryptedTextField
from mutua.ops.services import engines
from mutua.ops.services.engines import BackupError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
# Tables a freshly migrated database already has rows in, or that a running worker fills
# by itself: rows there do not make a database "not empty" for a restore.
BOOKKEEPING_MODELS = (
    "contenttypes.ContentType",
    "auth.Permission",
    "django_tasks_database.DBTaskResult",
    "notify.ScheduledJob",
    "ops.Heartbeat",
)
BOOKKEEPING_TABLES = {"django_migrations"}


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    # Apps whose migrations are newer in this code than in the backup: run `mutua migrate`.
    pending_migrations: int
    # Encrypted columns whose values the configured keys cannot read.
    unreadable: list[str] = field(default_factory=list)
    needed_keys: list[str] = field(default_factory=list)


def key_fingerprint(key: str) -> str:
    """A short name for an encryption key that reveals nothing of it (a hash prefix)."""
    return hashlib.sha256(key.strip().encode()).hexdigest()[:16]


def current_fingerprints() -> list[str]:
    return [key_fingerprint(key) for key in settings.MUTUA_ENCRYPTION_KEYS]


def engine() -> str:
    vendor = connection.vendor
    if vendor not in SUFFIXES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def default_directory() -> Path:
    return Path(settings.MUTUA_BACKUP_DIR)


def create_backup(*, out_dir: Path | None = None, now: datetime | None = None) -> Path:
    """Back up the whole database into a new file in `out_dir` and return its path.

    The file is written under a temporary name and renamed when complete, so a file with
    a backup's name is always a whole backup. It and its manifest are readable by the
    owner only: they hold everything but the clear text of contact details.
    """
    kind = engine()
    directory = (out_dir or default_directory()).expanduser().resolve()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            _("Cannot create the folder %(dir)s: %(why)s.")
            % {"dir": directory, "why": exc.strerror}
        ) from None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = _free_name(directory, f"mutua-{stamp}", SUFFIXES[kind])
    partial = target.with_name(f".{target.name}.partial")
    try:
        if kind == "sqlite":
            engines.sqlite_backup(partial)
        else:
            engines.pg_dump(partial)
        partial.chmod(0o600)
        partial.rename(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(
            _("Cannot write the backup in %(dir)s: %(why)s.")
            % {"dir": directory, "why": exc.strerror}
        ) from None
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    manifest = {
        "format": 1,
        "engine": kind,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "mutua_version": __version__,
        "bytes": target.stat().st_size,
        # Which key(s) the contact details in this backup need: fingerprints, never keys.
        "key_fingerprints": current_fingerprints(),
    }
    manifest_path = _manifest_path(target)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    manifest_path.chmod(0o600)
    return target


def prune_backups(*, directory: Path | None = None, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups made by mutua in `directory`; returns the
    deleted files. Files of other names are never touched."""
    directory = directory or default_directory()
    if keep < 1 or not directory.is_dir():
        return []
    backups = sorted(
        (p for p in directory.glob("mutua-*") if p.suffix in SUFFIXES.values()),
        key=_age_order,
        reverse=True,
    )
    removed = []
    for old in backups[keep:]:
        old.unlink(missing_ok=True)
        _manifest_path(old).unlink(missing_ok=True)
        removed.append(old)
    return removed


def database_rows() -> dict[str, int]:
    """Rows per table of the data people put in (bookkeeping tables left out)."""
    skip = set(BOOKKEEPING_TABLES)
    for label in BOOKKEEPING_MODELS:
        try:
            skip.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in skip:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            (count,) = cursor.fetchone()
            if count:
                counts[table] = int(count)
    return counts


def restore_backup(*, path: Path, force: bool = False) -> RestoreReport:
    """Replace the database with the backup in `path`.

    Refuses when the database holds data (anything but bookkeeping) unless `force`. The
    backup is checked before anything is touched; on PostgreSQL the whole restore is one
    transaction. Afterwards it reports what still needs doing: migrations newer than the
    backup, and encrypted values the configured keys cannot read.
    """
    kind = engine()
    path = path.expanduser()
    found = _kind_of(path)
    if found != kind:
        raise BackupError(
            _(
                "%(path)s is a %(found)s backup, and this server's database is %(kind)s: "
                "restore it into a server of the same kind."
            )
            % {"path": path, "found": found, "kind": kind}
        )
    rows = database_rows()
    if rows and not force:
        total = sum(rows.values())
        raise BackupError(
            _(
                "The database is not empty (%(rows)d rows in %(tables)d tables): restoring "
                "would replace them. Add --force to replace them."
            )
            % {"rows": total, "tables": len(rows)}
        )
    if kind == "sqlite":
        engines.sqlite_restore(path)
    else:
        engines.pg_restore(path)
    connection.close()
    return RestoreReport(
        path=path,
        pending_migrations=_pending_migrations(),
        unreadable=_unreadable_columns(),
        needed_keys=_manifest(path).get("key_fingerprints", []),
    )


def _free_name(directory: Path, stem: str, suffix: str) -> Path:
    target = directory / f"{stem}{suffix}"
    number = 1
    while target.exists():
        number += 1
        target = directory / f"{stem}-{number}{suffix}"
    return target


def _age_order(backup: Path) -> tuple[str, int]:
    """mutua-STAMP.ext, then mutua-STAMP-2.ext for a second one in the same second."""
    stamp, _dash, number = backup.stem.removeprefix("mutua-").partition("-")
    return stamp, int(number) if number.isdigit() else 1


def _manifest_path(backup: Path) -> Path:
    return backup.with_name(f"{backup.name}.json")


def _manifest(backup: Path) -> dict[str, Any]:
    try:
        data = json.loads(_manifest_path(backup).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _kind_of(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(_("There is no file %(path)s.") % {"path": path}) from None
    except OSError as exc:
        raise BackupError(
            _("Cannot read %(path)s: %(why)s.") % {"path": path, "why": exc.strerror}
        ) from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        _("%(path)s is not a mutua backup (neither SQLite nor pg_dump).") % {"path": path}
    )


def _pending_migrations() -> int:
    try:
        executor = MigrationExecutor(connection)
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return 0


def _unreadable_columns() -> list[str]:
    """Encrypted columns holding a value none of the configured keys decrypts."""
    unreadable = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, EncryptedTextField | EncryptedFloatField):
                continue
            column = model_field.attname
            rows = (
                model._base_manager.exclude(**{f"{column}__isnull": True})
                .exclude(**{column: ""})
                .values_list(column, flat=True)
            )
            try:
                list(rows[:1])
            except crypto.InvalidToken:
                unreadable.append(f"{model._meta.db_table}.{model_field.column}")
            except DatabaseError:
                # A table the backup predates: `mutua migrate` makes it.
                continue
    return unreadable


def scheduled_backup() -> str:
    """The worker's periodic backup into MUTUA_BACKUP_DIR, keeping MUTUA_BACKUP_KEEP of them.
    Safe to run twice: a second run makes one more backup, and the oldest is deleted."""
    if settings.MUTUA_BACKUP_EVERY_HOURS == 0:
        return "off"
    path = create_backup()
    removed = prune_backups(directory=path.parent, keep=settings.MUTUA_BACKUP_KEEP)
    return f"{path.name} (deleted {len(removed)} old)"
