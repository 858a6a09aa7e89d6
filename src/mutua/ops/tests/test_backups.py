"""Backups and restores through the CLI: the drill (back up, wipe, restore, every row equal)
on whichever database the suite runs on, and the refusals an operator relies on."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from mutua.aid import services as aid_services
from mutua.aid.models import Ask
from mutua.core.tests.factories import OfferFactory, make_ask
from mutua.people.models import User


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def wipe() -> None:
    """Drop every table, as a lost or emptied database would be."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        for table in tables:
            cascade = " CASCADE" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}{cascade}")


@pytest.fixture
def lived_in(transactional_db: None, ward: Any, helper: User, asker: User) -> Ask:
    """A group with asks in several states, encrypted contact details, a claim, an offer."""
    claimed = make_ask(contact_name="Ada", contact_phone="+442079460001")
    aid_services.claim_ask(ask=claimed, helper=helper)
    make_ask(what="A lift to the clinic on Tuesday", contact_email="bo@example.org")
    make_ask(lat=51.60, lon=-0.30, what="Somewhere no group covers")
    OfferFactory.create(member=helper)
    return claimed


def test_restore_drill_back_up_wipe_restore_every_row_equal(lived_in: Ask, tmp_path: Path):
    before = every_row()
    assert before[Ask._meta.db_table], "the drill needs data to compare"

    out, err = run("backup", "--out", str(tmp_path))
    path = Path(out.strip().splitlines()[-1])
    assert path.parent == tmp_path and path.is_file()
    assert "fingerprint" in err

    wipe()
    assert every_row() == {}

    out, _err = run("restore", str(path))
    assert "Restored" in out
    assert every_row() == before
    # The restored contact details are readable again with the server's key.
    assert Ask.objects.get(pk=lived_in.pk).contact_phone == "+442079460001"


def test_restore_refuses_a_database_with_data_unless_forced(lived_in: Ask, tmp_path: Path):
    out, _err = run("backup", "--out", str(tmp_path))
    path = out.strip().splitlines()[-1]
    make_ask(what="Made after the backup")
    with pytest.raises(CommandError, match=r"not empty.*--force"):
        run("restore", path)
    assert Ask.objects.filter(what="Made after the backup").exists()

    run("restore", path, "--force")
    assert not Ask.objects.filter(what="Made after the backup").exists()
    assert Ask.objects.filter(pk=lived_in.pk).exists()


def test_backup_file_and_manifest_name_the_key_but_never_hold_it(
    lived_in: Ask, tmp_path: Path, settings: Any
):
    out, _err = run("backup", "--out", str(tmp_path))
    path = Path(out.strip().splitlines()[-1])
    manifest = json.loads(path.with_name(path.name + ".json").read_text())
    assert manifest["engine"] == connection.vendor
    assert len(manifest["key_fingerprints"]) == 1
    key = settings.MUTUA_ENCRYPTION_KEYS[0]
    assert key not in path.with_name(path.name + ".json").read_text()
    assert path.stat().st_mode & 0o077 == 0, "a backup is for its owner's eyes only"
    # The clear contact details are nowhere in the backup file.
    assert b"+442079460001" not in path.read_bytes()


def test_restore_warns_when_the_key_is_not_the_backups(
    lived_in: Ask, tmp_path: Path, settings: Any
):
    out, _err = run("backup", "--out", str(tmp_path))
    path = out.strip().splitlines()[-1]
    settings.MUTUA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    wipe()
    _out, err = run("restore", path)
    assert "encrypted with a key this server does not have" in err


def test_restore_of_a_file_that_is_not_a_backup_says_so(transactional_db: None, tmp_path: Path):
    stray = tmp_path / "notes.txt"
    stray.write_text("shopping list")
    with pytest.raises(CommandError, match="not a mutua backup"):
        run("restore", str(stray))
    with pytest.raises(CommandError, match="There is no file"):
        run("restore", str(tmp_path / "missing.sqlite3"))


def test_backup_keep_deletes_only_the_oldest_backups(transactional_db: None, tmp_path: Path):
    paths = [Path(run("backup", "--out", str(tmp_path))[0].strip()) for _ in range(3)]
    (tmp_path / "mine.txt").write_text("not a backup")
    _out, err = run("backup", "--out", str(tmp_path), "--keep", "2")
    remaining = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    assert paths[0].name not in remaining and paths[1].name not in remaining
    assert paths[2].name in remaining and "mine.txt" in remaining
    assert len(remaining) == 3
    assert "Deleted the old backup" in err


def test_the_worker_backs_up_on_schedule_keeping_the_newest(
    transactional_db: None, tmp_path: Path, settings: Any
):
    from mutua.notify.tasks import run_job

    settings.MUTUA_BACKUP_DIR = tmp_path
    settings.MUTUA_BACKUP_KEEP = 2
    assert run_job.enqueue("ops-backup").return_value == "off"

    settings.MUTUA_BACKUP_EVERY_HOURS = 24
    for _ in range(3):
        result = run_job.enqueue("ops-backup")
        assert result.status == "SUCCESSFUL"
    kept = sorted(p for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    assert len(kept) == 2
    newest = str(result.return_value).split()[0]
    assert newest in {path.name for path in kept}


def test_a_backup_inside_a_transaction_is_refused_not_left_waiting(db: None, tmp_path: Path):
    if connection.vendor != "sqlite":
        pytest.skip("pg_dump reads what is committed, from its own connection")
    with pytest.raises(CommandError, match="inside a transaction"):
        run("backup", "--out", str(tmp_path))
    assert list(tmp_path.iterdir()) == []
