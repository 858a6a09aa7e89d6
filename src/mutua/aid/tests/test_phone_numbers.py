"""Asks keep their contact number in E.164, whichever way it came in (form, API, phone
intake, import), refuse what cannot be a number, and show it the way people write it."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mutua.aid.models import Ask
from mutua.aid.selectors import asker_key
from mutua.core.tests.factories import HACKNEY, make_ask

pytestmark = pytest.mark.django_db


def api_ask(client, phone: str):
    body = {
        "what": "A lift to the clinic",
        "category": "transport",
        "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
        "contact": {"name": "Ada", "phone": phone, "email": "", "address": ""},
        "consent": True,
    }
    return client.post("/api/v1/asks", json.dumps(body), content_type="application/json")


def form_ask(client, phone: str):
    return client.post(
        "/ask/",
        {
            "what": "A lift to the clinic",
            "category": "transport",
            "urgency": "2",
            "place": "",
            "lat": str(HACKNEY[0]),
            "lon": str(HACKNEY[1]),
            "address": "",
            "name": "",
            "email": "",
            "phone": phone,
            "language": "en",
            "consent": "on",
        },
    )


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700 900-123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_the_api_keeps_every_spelling_of_a_number_as_e164(client, ward, written, kept):
    response = api_ask(client, written)

    assert response.status_code == 201, response.json()
    assert Ask.objects.get().contact_phone == kept


def test_the_form_keeps_the_number_as_e164(client, ward):
    response = form_ask(client, "020 7946 0123")

    assert response.status_code == 302
    assert Ask.objects.get().contact_phone == "+442079460123"


@pytest.mark.parametrize("written", ["call me maybe", "123", "+44 12", "+999 1234 5678"])
def test_a_number_that_cannot_be_one_is_a_clear_400_and_saves_nothing(client, ward, written):
    response = api_ask(client, written)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "That does not look like a phone number.",
        "field": "contact_phone",
    }
    assert Ask.objects.count() == 0


def test_the_form_shows_an_unparseable_number_as_an_error_on_the_phone_field(client, ward):
    response = form_ask(client, "+44 12")

    assert response.status_code == 400
    assert response.context["form"].errors["phone"] == ["That does not look like a phone number."]
    assert Ask.objects.count() == 0


def test_a_number_is_read_in_the_sites_region(client, ward, settings):
    settings.MUTUA_PHONE_REGION = "FR"

    api_ask(client, "06 12 34 56 78")

    assert Ask.objects.get().contact_phone == "+33612345678"


def import_asks(tmp_path: Path, ward, *phones: str) -> str:
    rows = "".join(f"Bread,groceries,{HACKNEY[0]},{HACKNEY[1]},{p},yes\n" for p in phones)
    path = tmp_path / "asks.csv"
    path.write_text("what,category,lat,lon,phone,consent\n" + rows)
    out = io.StringIO()
    call_command("import", "asks", str(path), "--group", ward.slug, stdout=out)
    return out.getvalue()


def test_an_import_keeps_numbers_as_e164(tmp_path, ward):
    import_asks(tmp_path, ward, "07700 900123", "+44 20 7946 0123")

    assert sorted(Ask.objects.values_list("contact_phone", flat=True)) == [
        "+442079460123",
        "+447700900123",
    ]


def test_an_import_with_a_bad_number_names_the_line_and_imports_nothing(tmp_path, ward):
    with pytest.raises(CommandError, match=r"^line 3: That does not look like a phone number"):
        import_asks(tmp_path, ward, "07700 900123", "+44 12")

    assert Ask.objects.count() == 0


def test_the_asker_sees_their_number_as_people_write_it_with_a_link_that_dials_it(client, ward):
    ask = make_ask(contact_phone="+44 7700 900123")

    html = client.get(f"/asks/{ask.pk}/", {"key": asker_key(ask)}).content.decode()

    assert '<a href="tel:+447700900123" dir="ltr">07700 900123</a>' in html


def test_a_number_from_abroad_is_shown_with_its_country_code(client, ward):
    ask = make_ask(contact_phone="+33 6 12 34 56 78")

    html = client.get(f"/asks/{ask.pk}/", {"key": asker_key(ask)}).content.decode()

    assert '<a href="tel:+33612345678" dir="ltr">+33 6 12 34 56 78</a>' in html


BEFORE = [("aid", "0005_board_reads_by_urgency_and_place")]
AFTER = [("aid", "0006_contact_phones_in_e164")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_rewrites_stored_numbers_as_e164_and_keeps_what_it_cannot_read(ward):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        # Rows as earlier versions stored them (their model, since later migrations add
        # columns): written any way at all, encrypted.
        old_ask = executor.loader.project_state(BEFORE).apps.get_model("aid", "Ask")
        now = timezone.now()

        def stored_then(phone: str, address: str = "") -> int:
            row = old_ask.objects.create(
                what="Shopping",
                category="groceries",
                lat=HACKNEY[0],
                lon=HACKNEY[1],
                cell="881f1d4887fffff",
                public_lat=HACKNEY[0],
                public_lon=HACKNEY[1],
                consent_at=now,
                consent_text="yes",
                expires_at=now + timedelta(days=7),
                contact_phone=phone,
                address=address,
            )
            return int(row.pk)

        spellings = {"07700 900123": "+447700900123", "+33 6 12 34 56 78": "+33612345678"}
        asks = {written: stored_then(written) for written in [*spellings, "ring the bell twice"]}
        no_phone = stored_then("", address="12 Example Road")

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)

        stored = dict(Ask.objects.values_list("pk", "contact_phone"))
        for written, kept in spellings.items():
            assert stored[asks[written]] == kept
        assert stored[asks["ring the bell twice"]] == "ring the bell twice"
        assert stored[no_phone] == ""
        with connection.cursor() as cursor:
            cursor.execute("SELECT contact_phone FROM aid_ask")
            raw = [row[0] for row in cursor.fetchall()]
        assert not any("+447700900123" in value or "07700" in value for value in raw)
    finally:
        # Back to the latest schema for the tests that follow.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
