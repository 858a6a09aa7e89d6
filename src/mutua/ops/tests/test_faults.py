"""Faults as a person meets them: the database away or its disk full gives a clear 503,
saves nothing half-way, and the database is intact afterwards."""

from __future__ import annotations

import itertools

import pytest
from django.db import OperationalError, connection

from mutua.aid.models import Ask

ASK = {
    "what": "Shopping for the week",
    "category": "groceries",
    "place": {"lat": 51.5450, "lon": -0.0553},
    "contact": {"name": "Ada", "phone": "+442079460000"},
    "consent": True,
}


_people = itertools.count()


def post_ask(client):
    """An ask from a neighbour who has not asked yet: the same contact asking the same
    again within a day would be refused as a duplicate (aid.duplicates), not by the disk."""
    contact = {"name": "Ada", "email": f"neighbour{next(_people)}@example.org"}
    return client.post("/api/v1/asks", {**ASK, "contact": contact}, content_type="application/json")


def fill_the_disk() -> None:
    """The database file may grow no more: what SQLite meets when the disk is full."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {pages}")


def free_the_disk() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count = 1073741823")


@pytest.mark.django_db(transaction=True)
def test_a_full_disk_refuses_asks_clearly_and_saves_none_half_way(client, ward, settings):
    if connection.vendor != "sqlite":
        pytest.skip("a full disk is SQLite's failure; PostgreSQL's is covered below")
    # The limits on anonymous asks would answer 429 before the disk fills when earlier
    # tests left free pages in the file: this test is about the disk.
    settings.MUTUA_ANONYMOUS_ASKS_PER_ADDRESS = 0
    settings.MUTUA_ANONYMOUS_ASKS_PER_CONTACT = 0
    fill_the_disk()
    try:
        # People keep asking while the disk fills: the pages left (free pages of the file
        # included) have room for some, however many earlier tests freed.
        statuses: list[int] = []
        while 503 not in statuses and len(statuses) < 2000:
            statuses.append(post_ask(client).status_code)
        refused = post_ask(client)
    finally:
        free_the_disk()

    assert 503 in statuses, "the disk never filled up"
    assert set(statuses) == {201, 503}
    assert refused.status_code == 503
    assert "nothing was saved" in refused.json()["detail"]
    assert refused["Retry-After"]
    # Every ask is whole or absent: exactly as many as were accepted.
    assert Ask.objects.count() == statuses.count(201)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchone() == ("ok",)
    assert post_ask(client).status_code == 201


@pytest.mark.django_db
def test_pages_and_the_api_say_try_again_while_the_database_is_away(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def away(self, sql, params=None):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", away)

    page = client.get("/board/")
    assert page.status_code == 503
    assert "Try again in a minute" in page.content.decode()
    api = post_ask(client)
    assert api.status_code == 503 and "try again" in api.json()["detail"]


class _CacheGoneAfterTheCheck:
    """The shared cache (a database table by default) answers the limit's check, then the
    database goes away before the ask is counted."""

    def get(self, key, default=None):
        return default

    def add(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_an_ask_saved_just_before_the_database_goes_is_answered_as_saved(
    client, monkeypatch, settings
):
    from mutua.core import limits

    settings.MUTUA_ANONYMOUS_ASKS_PER_ADDRESS = 10
    monkeypatch.setattr(limits, "cache", _CacheGoneAfterTheCheck())

    response = post_ask(client)

    # Not "nothing was saved": the ask was, and asking again would make a second one.
    assert response.status_code == 201
    assert Ask.objects.filter(pk=response.json()["id"]).exists()
