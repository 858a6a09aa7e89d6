"""No key, token, e-mail address or phone number in any log line, at any verbosity.

The server is run for real (`mutua serve -v 2`, debug logging) and sent requests that
carry planted secrets; every line it writes is then searched for them.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from mutua.core.redact import RedactFilter, redact
from mutua.core.tests.factories import HACKNEY

EMAIL = "planted.asker@example.org"
PHONE = "+447700900461"
PHONE_E164 = "+447700900461"
TOKEN = "plantedtoken0123456789abcdef"
KEY = "plantedkey0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 (local)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_the_served_site_logs_no_secret_at_the_highest_verbosity(tmp_path: Path):
    port = _free_port()
    env = {
        **os.environ,
        "MUTUA_DATA_DIR": str(tmp_path),
        "MUTUA_LOG_LEVEL": "DEBUG",
        "MUTUA_ANONYMOUS_ASKS_PER_ADDRESS": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Its own SQLite file: a shared PostgreSQL database would keep this server's rows,
    # encrypted under a key that dies with tmp_path, for the next run's migrations to trip on.
    env.pop("DATABASE_URL", None)
    migrate = [sys.executable, "-m", "mutua", "migrate", "--no-input"]
    subprocess.run(migrate, env=env, check=True, capture_output=True, timeout=180)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mutua", "serve", "--port", str(port), "--no-worker", "-v", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if _request(f"{base}/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        ask = {
            "what": "Shopping",
            "category": "groceries",
            "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
            "contact": {"name": "Ada", "phone": PHONE, "email": EMAIL, "address": ""},
            "consent": True,
        }
        made = urllib.request.urlopen(  # noqa: S310 (local)
            urllib.request.Request(  # noqa: S310 (local)
                f"{base}/api/v1/asks",
                data=json.dumps(ask).encode(),
                headers={"Content-Type": "application/json"},
            ),
            timeout=30,
        )
        created = json.loads(made.read())
        _request(f"{base}/asks/{created['id']}/?key={created['key']}")
        _request(f"{base}/asks/{created['id']}/?key={KEY}&email={EMAIL}&phone={PHONE_E164}")
        _request(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {TOKEN}"})
        _request(f"{base}/accounts/password/reset/key/1-{KEY}/")
        _request(f"{base}/accounts/confirm-email/{KEY}/")
        _request(f"{base}/nowhere/{EMAIL}")
        secrets = [created["key"], KEY, TOKEN, EMAIL, PHONE, PHONE_E164, "7700900461"]
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()

    lines = (tmp_path / "server.log").read_text().splitlines()
    assert any("/api/v1/asks" in line for line in lines), "the access log is on at -v 2"
    leaked = [line for line in lines for secret in secrets if secret in line]
    assert leaked == []


def test_mail_without_an_smtp_server_goes_to_files_not_the_log(tmp_path: Path):
    env = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = (
        "from django.core.mail import send_mail; "
        f"send_mail('Your ask', 'Open /asks/1/?key={KEY}', None, ['{EMAIL}'])"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mutua", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert EMAIL not in done.stdout + done.stderr and KEY not in done.stdout + done.stderr
    mail_dir = tmp_path / "mail"
    written = "".join(path.read_text() for path in mail_dir.iterdir())
    assert EMAIL in written and KEY in written


@pytest.mark.parametrize(
    "line",
    [
        f"GET /asks/3/?key={KEY} 200",
        f"message 4 failed for good: the mail server refused the address: {EMAIL}",
        f"texting {PHONE} failed",
        f"texting {PHONE_E164} failed",
        "texting 07700900461 failed",
        f"Authorization: Bearer {TOKEN}",
        f"tgram://{TOKEN}@chat/12345 refused",
        f"/accounts/password/reset/key/1-{KEY}/",
    ],
)
def test_every_kind_of_secret_is_taken_out_of_a_line(line):
    cleaned = redact(line)

    for secret in (KEY, EMAIL, PHONE, PHONE_E164, "07700900461", TOKEN):
        assert secret not in cleaned


def test_times_and_ids_are_left_alone():
    line = '127.0.0.1 [30/Nov/2026:05:00:00 +0000] "GET /asks/1234/ HTTP/1.1" 200 5120 12ms'

    assert redact(line) == line


def test_the_filter_covers_arguments_and_tracebacks():
    record = logging.LogRecord("mutua", logging.ERROR, __file__, 1, "to %s", (EMAIL,), None)
    try:
        raise ValueError(f"bad {EMAIL}")
    except ValueError:
        record.exc_info = sys.exc_info()

    RedactFilter().filter(record)

    assert EMAIL not in record.getMessage()
    assert EMAIL not in (record.exc_text or "")
