"""`mutua token`: API tokens from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutua.people.models import ApiToken, User
from mutua.people.selectors import user_for_token

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_token_prints_only_a_token_that_authenticates_the_account(helper):
    output = run("token", "Helper@Example.org")

    token = output.strip()
    assert output == token + "\n"
    assert user_for_token(token) == helper


def test_each_token_is_new_and_only_its_hash_is_kept(helper):
    first, second = run("token", helper.email).strip(), run("token", helper.email).strip()

    assert first != second
    assert not ApiToken.objects.filter(key_hash__in=[first, second]).exists()
    assert user_for_token(first) == user_for_token(second) == helper


def test_token_for_an_unknown_email_fails_without_a_token():
    with pytest.raises(CommandError, match=r"no account with the email address who@example\.org"):
        run("token", "who@example.org")

    assert ApiToken.objects.count() == 0


def test_token_is_refused_for_a_deactivated_account(helper):
    User.objects.filter(pk=helper.pk).update(is_active=False)

    with pytest.raises(CommandError, match="deactivated"):
        run("token", helper.email)


def test_python_dash_m_mutua_prints_the_token_alone_on_stdout(tmp_path: Path):
    """The real entry point, in a fresh installation with its own SQLite database."""
    env = {
        **os.environ,
        "MUTUA_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }

    def mutua(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mutua", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert mutua("migrate", "--no-input", "-v", "0").returncode == 0
    assert mutua("createuser", "script@example.org").returncode == 0

    made = mutua("token", "script@example.org")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mt_")

    unknown = mutua("token", "nobody@example.org")
    assert unknown.returncode != 0
    assert unknown.stdout == ""
    assert "nobody@example.org" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1
