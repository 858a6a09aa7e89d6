"""Configuration a server owner meets: bad values in one line, the version, running behind
a TLS proxy, `check --deploy`, and the cache that every process shares."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mutua import __version__
from mutua.aid.tests.test_api_asks import ask_body, post


def mutua(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path), **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "mutua", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("MUTUA_TIME_ZONE", "Mars/Olympus_Mons", "MUTUA_TIME_ZONE must be a time zone name"),
        ("MUTUA_TIME_ZONE", "../../etc/passwd", "MUTUA_TIME_ZONE must be a time zone name"),
        ("MUTUA_LOG_LEVEL", "loud", "MUTUA_LOG_LEVEL must be one of DEBUG, INFO"),
        ("MUTUA_EMAIL_VERIFICATION", "maybe", "MUTUA_EMAIL_VERIFICATION must be one of none"),
        ("MUTUA_PHONE_REGION", "XX", "MUTUA_PHONE_REGION must be a two-letter country code"),
    ],
)
def test_a_bad_setting_gives_one_line_and_no_traceback(tmp_path, variable, value, words):
    done = mutua(tmp_path, "check", **{variable: value})

    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_settings_are_read_without_regard_to_case(tmp_path):
    done = mutua(tmp_path, "check", MUTUA_LOG_LEVEL="warning", MUTUA_EMAIL_VERIFICATION="None")

    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("args", [["--version"], ["serve", "--version"]])
def test_version_is_mutuas_own(tmp_path, args):
    done = mutua(tmp_path, *args)

    assert done.returncode == 0
    assert done.stdout.strip() == f"mutua {__version__}"


def test_a_production_install_passes_check_deploy_but_for_two_documented_choices(tmp_path):
    done = mutua(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "ERROR",
        MUTUA_SECURE_COOKIES="1",
        MUTUA_BEHIND_PROXY="1",
        MUTUA_ALLOWED_HOSTS="aid.example.org",
        MUTUA_DEBUG="0",
    )

    assert done.returncode == 0, done.stderr
    warnings = sorted(
        line.split(")")[0].split("(")[1]
        for line in done.stderr.splitlines()
        if "(security." in line
    )
    # Both are the owner's commitment about other sites on their domain (README,
    # "Running behind a proxy"), which mutua cannot make for them.
    assert warnings == ["security.W005", "security.W021"]


@pytest.fixture
def behind_a_tls_proxy(settings):
    settings.MUTUA_BEHIND_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True


def test_settings_behind_a_proxy_trust_its_header_only_when_told(tmp_path):
    code = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    told = mutua(tmp_path, "shell", "-c", code, MUTUA_BEHIND_PROXY="1", MUTUA_SECURE_COOKIES="1")
    untold = mutua(tmp_path, "shell", "-c", code)

    assert told.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert untold.stdout.strip().splitlines()[-1] == "None"


@pytest.mark.django_db
def test_behind_a_tls_proxy_links_are_https_and_hsts_is_sent(client, ward, behind_a_tls_proxy):
    response = client.post(
        "/api/v1/asks",
        ask_body(),
        content_type="application/json",
        HTTP_X_FORWARDED_PROTO="https",
    )

    assert response.status_code == 201
    assert response.json()["url"].startswith("https://")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_behind_a_tls_proxy_plain_http_is_sent_to_https_but_health_checks_are_not(
    client, behind_a_tls_proxy
):
    assert client.get("/ask/", HTTP_X_FORWARDED_PROTO="http").status_code == 301
    assert client.get("/healthz", HTTP_X_FORWARDED_PROTO="http").status_code == 200


_LOGIN_ATTEMPTS = """
from django.test import Client
client = Client()
refused = []
for n in range(3):
    page = client.post("/accounts/login/", {"login": "target@example.org", "password": "wrong"})
    refused.append("Too many failed login attempts" in page.content.decode())
print(refused)
"""


def test_login_throttles_hold_across_processes(tmp_path):
    """Two processes (as two gunicorn workers) share the count of failed logins."""
    env = {"MUTUA_ALLOWED_HOSTS": "testserver", "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    assert mutua(tmp_path, "migrate", "--no-input", **env).returncode == 0
    made = mutua(tmp_path, "createuser", "target@example.org", "--password", "s3cret-enough", **env)
    assert made.returncode == 0, made.stderr

    first = mutua(tmp_path, "shell", "-c", _LOGIN_ATTEMPTS, **env)
    second = mutua(tmp_path, "shell", "-c", _LOGIN_ATTEMPTS, **env)

    # The limit is 5 failures in 5 minutes for one account: the second process's third
    # try is the sixth. Counted per process, it would be refused only at the eleventh.
    assert first.stdout.strip().splitlines()[-1] == "[False, False, False]", first.stderr
    assert second.stdout.strip().splitlines()[-1] == "[False, False, True]", second.stderr


@pytest.mark.django_db
def test_api_errors_say_when_a_token_is_refused_in_json(client, ward):
    response = post(client, "/api/v1/asks/1/claim", {}, token="not-a-token")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
