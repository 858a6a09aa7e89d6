"""The security baseline: argon2, login rate limits, CSP, HTTPS-only cookies and HSTS,
and no keys in error reports."""

from __future__ import annotations

import os
import subprocess
import sys

from django.views.debug import SafeExceptionReporterFilter

from mutua import settings as site_settings
from mutua.core.tests.factories import PASSWORD, UserFactory


def test_new_passwords_are_hashed_with_argon2():
    # The test suite swaps in a fast hasher; the site's own list is read here.
    assert site_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_repeated_failed_logins_are_refused_for_a_while(client, db):
    UserFactory.create(email="target@example.org")
    responses = [
        client.post("/accounts/login/", {"login": "target@example.org", "password": f"wrong-{n}"})
        for n in range(7)
    ]
    bodies = [r.content.decode() for r in responses]

    assert "Too many failed login attempts" not in bodies[0]
    assert "Too many failed login attempts" in bodies[-1]
    # Refused even with the right password until the limit has passed.
    right = client.post("/accounts/login/", {"login": "target@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in right.content.decode()


def test_pages_carry_a_content_security_policy(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "https://tile.openstreetmap.org" in policy


def test_https_installs_get_secure_cookies_and_hsts(tmp_path):
    env = {**os.environ, "MUTUA_SECURE_COOKIES": "1", "MUTUA_DATA_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "mutua.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert out.split() == ["True", "True", "31536000"]
    key_file = tmp_path / "encryption_key"
    assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600


def test_error_reports_hide_the_encryption_key(settings):
    shown = SafeExceptionReporterFilter().get_safe_settings()

    assert shown["MUTUA_ENCRYPTION_KEYS"] != settings.MUTUA_ENCRYPTION_KEYS
    assert settings.MUTUA_ENCRYPTION_KEYS[0] not in str(shown)


def test_a_bad_encryption_key_stops_start_up_with_one_line_that_hides_it(tmp_path):
    env = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path), "MUTUA_ENCRYPTION_KEY": "bad-SECRET"}
    done = subprocess.run(
        [sys.executable, "-m", "mutua", "purge"], env=env, capture_output=True, text=True
    )

    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "mutua: configuration error: MUTUA_ENCRYPTION_KEY must be comma-separated Fernet keys "
        "(32 url-safe base64 bytes; README, Privacy)"
    ]
    assert "SECRET" not in done.stderr + done.stdout
