"""No contact value in clear in any table, and nothing left after purge and erasure.

Planted values (an asker's name, phone, email and address, what they asked for, a
helper's phone and Apprise address) go through the real flows: an ask on the API, a
claim, texts to the SMS webhook, notifications sent by mail, text and Apprise. Then
every column of every table is read raw (SQL, as someone holding a copy of the database
would) and, after purge and erasure, through the models (decrypted, as someone also
holding the key would).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from apprise.plugins.ntfy import NotifyNtfy
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from mutua.aid.models import Ask
from mutua.core.tests.factories import HACKNEY
from mutua.notify.models import Preference
from mutua.notify.tests.conftest import link_phone, text
from mutua.people.models import Profile
from mutua.people.services import issue_token
from mutua.privacy.services import erase_account, purge_personal_data

pytestmark = pytest.mark.django_db(transaction=True)

ASKER_NAME = "Zqplanted Asker"
ASKER_EMAIL = "zq-planted-asker@example.org"
ASKER_PHONE = "+447700900461"
ADDRESS = "7 Zqplanted Road"
WHAT = "Zqplanted shopping for the week"
TEXTER_PHONE = "+447700900463"
TEXTED_WHAT = "Zqtexted prescription"
HELPER_PHONE = "+447700900462"
HELPER_APPRISE = "ntfys://ntfy.example.org/zqplantedtopic"
HELPER_NAME = "Zqhelper Plantedname"

ASKER_VALUES = [ASKER_NAME, ASKER_EMAIL, "7700900461", ADDRESS, WHAT]
TEXTER_VALUES = ["7700900463", TEXTED_WHAT]


def _raw_database_text() -> str:
    """Every value of every table, as the database holds it."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(parts).lower()


def _decrypted_text() -> str:
    """Every value of every model's rows, decrypted: what the key still unlocks."""
    parts: list[str] = []
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        for row in model._default_manager.all().iterator():
            parts.extend(str(getattr(row, f.attname)) for f in fields)
    return "\n".join(parts).lower()


def _found(values: list[str], text_: str) -> list[str]:
    return [v for v in values if v.lower() in text_]


class _Ntfy:
    """Stands in for the ntfy service (a third party): records, sends nothing."""

    sent: list[str] = []

    def send(self, body: str, title: str = "", **kwargs: Any) -> bool:
        _Ntfy.sent.append(body)
        return True


@pytest.fixture
def everything_happened(
    ward, helper, smtp_server, sms_gateway, settings, monkeypatch
) -> dict[str, Any]:
    """An ask by API and one by text, claimed, with every kind of notification sent."""
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False
    monkeypatch.setattr(NotifyNtfy, "send", _Ntfy.send)
    Profile.objects.update_or_create(user=helper, defaults={"display_name": HELPER_NAME})
    helper.refresh_from_db()
    client = Client()
    link_phone(helper, HELPER_PHONE)
    client.force_login(helper)
    client.post(
        "/me/notifications/",
        {
            "nearby_asks": "immediate",
            "by_email": "on",
            "by_sms": "on",
            "language": "",
            "apprise_url": HELPER_APPRISE,
        },
    )
    assert Preference.objects.get(user=helper).apprise_url == HELPER_APPRISE
    made = Client().post(
        "/api/v1/asks",
        json.dumps(
            {
                "what": WHAT,
                "category": "groceries",
                "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
                "contact": {
                    "name": ASKER_NAME,
                    "phone": ASKER_PHONE,
                    "email": ASKER_EMAIL,
                    "address": ADDRESS,
                },
                "consent": True,
            }
        ),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    ask_id = made.json()["id"]
    token = issue_token(user=helper)
    claimed = Client().post(
        f"/api/v1/asks/{ask_id}/claim", headers={"Authorization": f"Bearer {token}"}
    )
    assert claimed.status_code == 200
    assert "ask #" in text(f"HELP {TEXTED_WHAT} in Hackney Central", phone=TEXTER_PHONE).lower()
    texted = Ask.objects.exclude(pk=ask_id).get()
    assert "Contact" in text(f"YES {texted.pk}", phone=HELPER_PHONE)
    smtp_server.wait(1)
    assert smtp_server.to(ASKER_EMAIL), "the asker was told by mail"
    assert sms_gateway.texts, "texts were sent"
    assert _Ntfy.sent, "the helper's app was told"
    return {"asks": [ask_id, texted.pk], "helper": helper, "token": token}


def test_no_contact_value_is_in_clear_in_any_table(everything_happened, helper):
    raw = _raw_database_text()

    planted = [*ASKER_VALUES, *TEXTER_VALUES, "7700900462", "zqplantedtopic"]
    # What was asked shows on the board (it is not a contact value); the rest never.
    contact_only = [v for v in planted if v not in (WHAT, TEXTED_WHAT)]
    assert _found(contact_only, raw) == []


def test_purge_leaves_nothing_of_the_ask_in_any_table(everything_happened, helper):
    token = everything_happened["token"]
    for ask_id in everything_happened["asks"]:
        done = Client().post(
            f"/api/v1/asks/{ask_id}/done", headers={"Authorization": f"Bearer {token}"}
        )
        assert done.status_code == 200, done.content
    Ask.objects.update(updated_at=timezone.now() - timedelta(days=400))

    assert purge_personal_data().asks == 2

    decrypted = _decrypted_text()
    assert _found([*ASKER_VALUES, *TEXTER_VALUES], decrypted) == []


def test_erasing_an_account_leaves_nothing_of_it_in_any_table(everything_happened, helper):
    name = helper.display_name
    email = helper.email
    assert name == HELPER_NAME

    erase_account(user=helper, confirm_email=email)

    decrypted = _decrypted_text()
    assert _found([email, "7700900462", "zqplantedtopic", name], decrypted) == []


_FLOW = f"""
import json
from django.test import Client
from mutua.core.tests.factories import UserFactory, make_group, trusted
from mutua.people.services import issue_token

ward = make_group()
helper = trusted(ward, UserFactory.create(email="zqhelper@example.org"))
made = Client().post(
    "/api/v1/asks",
    json.dumps({{
        "what": "Shopping",
        "category": "groceries",
        "place": {{"lat": {HACKNEY[0]}, "lon": {HACKNEY[1]}}},
        "contact": {{
            "name": "{ASKER_NAME}", "phone": "{ASKER_PHONE}",
            "email": "{ASKER_EMAIL}", "address": "{ADDRESS}",
        }},
        "consent": True,
    }}),
    content_type="application/json",
)
assert made.status_code == 201, made.content
token = issue_token(user=helper)
claimed = Client().post(
    f"/api/v1/asks/{{made.json()['id']}}/claim", HTTP_AUTHORIZATION=f"Bearer {{token}}"
)
assert claimed.status_code == 200, claimed.content
from django.core import mail
assert any("{ASKER_EMAIL}" in m.to for m in mail.outbox), "the asker was told"
print("flow done")
"""


@pytest.mark.django_db(transaction=False)
def test_the_database_file_holds_no_contact_value_in_clear(tmp_path):
    """The raw SQLite file (and its write-ahead log), as a stolen copy would be read."""
    env = {
        **os.environ,
        "MUTUA_DATA_DIR": str(tmp_path),
        "MUTUA_ALLOWED_HOSTS": "testserver",
        "MUTUA_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "MUTUA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    mutua = [sys.executable, "-m", "mutua"]
    subprocess.run([*mutua, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    done = subprocess.run(
        [*mutua, "shell", "-c", _FLOW], env=env, capture_output=True, text=True, timeout=300
    )
    assert "flow done" in done.stdout, done.stderr

    files = [p for p in tmp_path.iterdir() if p.name.startswith("mutua.sqlite3")]
    raw = b"".join(p.read_bytes() for p in files).lower()
    assert files and len(raw) > 100_000
    planted = [ASKER_NAME, ASKER_EMAIL, ASKER_PHONE, "7700900461", "7700 900461", ADDRESS]
    assert [v for v in planted if v.lower().encode() in raw] == []
