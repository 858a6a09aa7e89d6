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
