"""Logs, as an operator's log collector receives them, carry no personal data."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from mutua.ops.logs import JsonFormatter, TextFormatter

PHONE = "+447700900123"
EMAIL = "ada.lovelace@example.org"


@pytest.fixture
def log_output() -> Iterator[tuple[io.StringIO, logging.Handler]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield stream, handler
    root.removeHandler(handler)
    root.setLevel(level)


def test_json_logs_are_one_object_a_line_with_contact_details_masked(log_output):
    stream, handler = log_output
    handler.setFormatter(JsonFormatter())

    logger = logging.getLogger("mutua.notify")
    logger.warning("message 7 failed for good: 550 <%s> unknown; retry %s", EMAIL, PHONE)
    try:
        raise ValueError(f"Key (email)=({EMAIL}) already exists")
    except ValueError:
        logger.exception("could not save")

    lines = stream.getvalue().strip().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["level"] for r in records] == ["WARNING", "ERROR"]
    assert records[0]["name"] == "mutua.notify" and "time" in records[0]
    masked = "message 7 failed for good: 550 <[email]> unknown; retry [phone]"
    assert records[0]["message"] == masked
    assert EMAIL not in stream.getvalue() and PHONE not in stream.getvalue()
    assert "already exists" in records[1]["exc_info"]


def test_text_logs_mask_private_link_keys_but_keep_dates_and_numbers(log_output):
    stream, handler = log_output
    handler.setFormatter(TextFormatter("%(levelname)s %(name)s: %(message)s"))

    logging.getLogger("django.request").warning(
        "Not Found: /asks/42/?key=Zx9-private on 2026-11-30 05:18:33, ask 1234567"
    )

    line = stream.getvalue().strip()
    assert line == (
        "WARNING django.request: Not Found: /asks/42/?key=[hidden] on 2026-11-30 05:18:33, "
        "ask 1234567"
    )


@pytest.mark.django_db
def test_asking_for_help_logs_nothing_personal(client, ward, log_output, settings):
    stream, handler = log_output
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    settings.MUTUA_SMS_APPRISE_URL = ""

    response = client.post(
        "/api/v1/asks",
        {
            "what": "Shopping for the week",
            "category": "groceries",
            "place": {"lat": 51.5450, "lon": -0.0553},
            "contact": {"name": "Ada", "phone": PHONE, "email": EMAIL, "address": "1 Mare St"},
            "consent": True,
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    # Even with no masking formatter, mutua itself never writes the details.
    written = stream.getvalue()
    assert EMAIL not in written and PHONE not in written and "Mare St" not in written
