"""The layers of docs/ARCHITECTURE.md, as `make lint` checks them with lint-imports.

Each case lints a copy of the code with one import added, so the contract in
pyproject.toml is shown to catch what it is there to catch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(tmp_path: Path, *, add_to: str = "", line: str = "") -> subprocess.CompletedProcess[str]:
    shutil.copytree(
        ROOT / "src" / "mutua",
        tmp_path / "src" / "mutua",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    if add_to:
        module = tmp_path / "src" / "mutua" / add_to
        module.write_text(module.read_text() + "\n" + line + "\n")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "src")},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_code_keeps_its_layers(tmp_path):
    result = lint(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("add_to", "line", "reported"),
    [
        # core is the floor: it imports no other app.
        ("core/geo.py", "from mutua.aid import models", "mutua.core.geo -> mutua.aid.models"),
        # people sits below groups.
        (
            "people/selectors.py",
            "from mutua.groups.selectors import is_member",
            "mutua.people.selectors -> mutua.groups.selectors",
        ),
        # aid's pages reach privacy's reveal rule only through aid.disclosure.
        ("aid/views.py", "from mutua.privacy import services", "mutua.aid.views -> mutua.privacy"),
        # notify and exchange are side by side: neither imports the other.
        (
            "exchange/selectors.py",
            "from mutua.notify import selectors as notify_selectors",
            "mutua.exchange.selectors -> mutua.notify.selectors",
        ),
        # The dispatch engine runs without Django (spreadsheets, benchmarks).
        ("matching/engine/__init__.py", "import django", "mutua.matching.engine -> django"),
    ],
)
def test_an_upward_import_breaks_the_lint(tmp_path, add_to, line, reported):
    result = lint(tmp_path, add_to=add_to, line=line)

    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert reported in result.stdout
