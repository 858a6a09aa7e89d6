"""`mutua worker`, without leaving one running."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

MUTUA = Path(sys.executable).with_name("mutua")


def mutua(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path)}
    return subprocess.run([str(MUTUA), *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.django_db
def test_worker_needs_the_database_task_backend():
    # The test settings run tasks immediately, so there is nothing for a worker to do.
    with pytest.raises(CommandError, match="not a database backend"):
        call_command("worker", "--batch", stdout=StringIO())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-tasks", "0"], "argument --max-tasks: must be 1 or more"),
        (["--interval", "-1"], "argument --interval: must be 0 or more seconds"),
        (["--interval", "nan"], "argument --interval: must be 0 or more seconds"),
    ],
)
def test_worker_refuses_bad_arguments_in_one_line(tmp_path, args, message):
    result = mutua(tmp_path, "worker", *args)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_a_worker_that_stays_loads_the_place_index_as_it_starts(settings, tmp_path, monkeypatch):
    from mutua.core import gazetteer

    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(
        gazetteer, "_from_geonames", lambda: gazetteer.build({}, {}, {"GB": "United Kingdom"})
    )
    gazetteer._load.cache_clear()
    try:
        # The test settings run tasks at once, so the worker stops after starting.
        with pytest.raises(CommandError, match="not a database backend"):
            call_command("worker", stdout=StringIO())

        assert gazetteer._load.cache_info().currsize == 1
        assert gazetteer.prepared_path().is_file()
    finally:
        gazetteer._load.cache_clear()
