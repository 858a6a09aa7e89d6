"""Contact details and exact place are encrypted at rest and read back unchanged."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from mutua.aid.models import Ask
from mutua.core import crypto
from mutua.privacy.tests.conftest import ADDRESS, EMAIL, LAT, LON, NAME, PHONE, SECRETS

_COLUMNS = "lat, lon, address, contact_name, contact_phone, contact_email"


def _raw_row(ask: Ask) -> tuple[object, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_COLUMNS} FROM aid_ask WHERE id = %s", [ask.pk])  # noqa: S608
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def test_the_database_row_holds_no_clear_contact_text(planted):
    raw = _raw_row(planted)

    text = " ".join(str(value) for value in raw)
    assert [s for s in SECRETS if s in text] == []
    assert "Quillfeather" not in text and "0991" not in text and "Hidden" not in text
    assert all(str(value).startswith("gAAAA") for value in raw)  # Fernet tokens


def test_python_reads_the_details_back_unchanged(planted):
    ask = Ask.objects.get(pk=planted.pk)

    assert (ask.lat, ask.lon) == (LAT, LON)
    assert isinstance(ask.lat, float)
    assert (ask.contact_name, ask.contact_phone, ask.contact_email, ask.address) == (
        NAME,
        PHONE,
        EMAIL,
        ADDRESS,
    )


def test_a_new_key_in_front_reads_old_rows_and_rotation_moves_them(planted, settings):
    old_key = settings.MUTUA_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.MUTUA_ENCRYPTION_KEYS = [new_key, old_key]
    assert Ask.objects.get(pk=planted.pk).contact_phone == PHONE

    out = io.StringIO()
    call_command("rotate_keys", stdout=out)

    assert "Re-encrypted" in out.getvalue()
    settings.MUTUA_ENCRYPTION_KEYS = [new_key]
    assert Ask.objects.get(pk=planted.pk).contact_phone == PHONE
    assert Fernet(new_key.encode()).decrypt(str(_raw_row(planted)[4]).encode()).decode() == PHONE


def test_rotation_without_the_old_key_refuses_and_changes_nothing(planted, settings):
    before = _raw_row(planted)
    settings.MUTUA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_keys")

    assert _raw_row(planted) == before


def test_a_malformed_key_is_refused_without_showing_it(settings):
    settings.MUTUA_ENCRYPTION_KEYS = ["not-a-key-SECRET123"]

    with pytest.raises(Exception, match="Fernet keys") as caught:
        crypto.encrypt("x")

    assert "SECRET123" not in str(caught.value)
