"""`mutua help` lists the commands; `mutua help COMMAND` is that command's own help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MUTUA = Path(sys.executable).with_name("mutua")


def mutua(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path)}
    return subprocess.run([str(MUTUA), *args], env=env, capture_output=True, text=True, timeout=60)


def test_help_alone_lists_the_commands(tmp_path):
    result = mutua(tmp_path, "help")

    assert result.returncode == 0
    assert "commands:" in result.stdout and "  export " in result.stdout


def test_help_with_a_command_is_that_commands_help(tmp_path):
    result = mutua(tmp_path, "help", "export")

    assert result.returncode == 0
    assert result.stdout.startswith("usage: mutua export")
    assert "--with-contact" in result.stdout


def test_help_with_an_unknown_command_says_so_in_one_line(tmp_path):
    result = mutua(tmp_path, "help", "nosuch")

    assert result.returncode == 1
    assert "Unknown command: 'nosuch'" in result.stderr
    assert "Traceback" not in result.stderr
