"""Asks without an account are limited per network address and per contact, with a clear
message; members are not, and the counts hold no address or contact in clear."""

from __future__ import annotations

import pytest
from django.db import connection

from mutua.aid.models import Ask
from mutua.aid.tests.test_api_asks import ask_body, post
from mutua.core.tests.factories import HACKNEY
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db


def _contact(n: int) -> dict[str, str]:
    return {"name": "Ada", "phone": "", "email": f"neighbour{n}@example.org", "address": ""}


def test_anonymous_asks_from_one_address_stop_at_the_limit(client, ward, settings):
    settings.MUTUA_ANONYMOUS_ASKS_PER_ADDRESS = 3

    answers = [post(client, "/api/v1/asks", ask_body(contact=_contact(n))) for n in range(5)]

    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    assert "try again in" in answers[3].json()["detail"]
    assert int(answers[3]["Retry-After"]) > 0
    assert Ask.objects.count() == 3
    # Another address is not held back by the first one's asks.
    other = client.post(
        "/api/v1/asks",
        ask_body(contact=_contact(9)),
        content_type="application/json",
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 201


def test_one_contact_is_limited_whatever_address_it_comes_from(client, ward, settings):
    settings.MUTUA_ANONYMOUS_ASKS_PER_CONTACT = 2
    # The same number written two ways is one contact; each ask is a different one (the
    # same one again would be a duplicate, test_duplicate_asks).
    phones = ["+44 7700 900123", "07700 900123", "+447700900123"]
    needs = ["Prescription from the chemist", "A lift to the clinic", "Walk the dog at noon"]

    answers = [
        client.post(
            "/api/v1/asks",
            ask_body(
                what=what, contact={"name": "Ada", "phone": phone, "email": "", "address": ""}
            ),
            content_type="application/json",
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        for n, (phone, what) in enumerate(zip(phones, needs, strict=True))
    ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()["field"] == "contact"


def test_the_ask_form_shows_the_limit_as_a_message(client, ward, settings):
    settings.MUTUA_ANONYMOUS_ASKS_PER_ADDRESS = 1
    form = {
        "what": "Shopping for the week",
        "category": "groceries",
        "urgency": 2,
        "language": "en",
        "lat": HACKNEY[0],
        "lon": HACKNEY[1],
        "email": "ada@example.org",
        "consent": "on",
    }

    first = client.post("/ask/", form)
    second = client.post("/ask/", {**form, "email": "bea@example.org"})

    assert first.status_code == 302
    assert second.status_code == 400
    assert "Many asks have come from your connection" in second.content.decode()
    assert Ask.objects.count() == 1


def test_members_asking_with_a_token_are_not_limited_here(client, ward, asker, settings):
    settings.MUTUA_ANONYMOUS_ASKS_PER_ADDRESS = 1
    token = issue_token(user=asker)

    needs = ["Prescription from the chemist", "A lift to the clinic", "Walk the dog at noon"]
    answers = [post(client, "/api/v1/asks", ask_body(what=w), token=token) for w in needs]

    assert [a.status_code for a in answers] == [201, 201, 201]


def test_behind_a_proxy_the_address_the_proxy_saw_counts(client, ward, settings):
    settings.MUTUA_BEHIND_PROXY = True
    settings.MUTUA_ANONYMOUS_ASKS_PER_ADDRESS = 1

    def ask_from(forwarded: str, n: int) -> int:
        return client.post(  # type: ignore[no-any-return]
            "/api/v1/asks",
            ask_body(contact=_contact(n)),
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    assert ask_from("198.51.100.1", 1) == 201
    # A client writing its own X-Forwarded-For cannot pass for another address.
    assert ask_from("192.0.2.77, 198.51.100.1", 2) == 429
    assert ask_from("198.51.100.2", 3) == 201


def test_the_counts_keep_no_address_or_contact_in_clear(client, ward, settings):
    post(client, "/api/v1/asks", ask_body(contact=_contact(1)))

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM mutua_cache")
        rows = cursor.fetchall()

    assert rows
    assert not any("neighbour1" in str(row) or "127.0.0.1" in str(row) for row in rows)
