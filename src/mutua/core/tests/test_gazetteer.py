"""The offline gazetteer's prepared index: built once per data folder, then only read.

GeoNames' whole file takes seconds to index, which the first person to type a place after
a start used to wait for; these tests use a few towns instead and count the builds."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from mutua.core import gazetteer as gazetteer_module
from mutua.core.gazetteer import build, gazetteer, prepared_path
from mutua.core.management.commands.serve import Server

CITIES: dict[str, dict[str, object]] = {
    "2643743": {
        "geonameid": 2643743,
        "name": "London",
        "latitude": 51.50853,
        "longitude": -0.12574,
        "population": 8961989,
        "countrycode": "GB",
        "admin1code": "ENG",
        "alternatenames": ["Londres", "Londra", "LON"],
    },
    "2653261": {
        "geonameid": 2653261,
        "name": "Camden Town",
        "latitude": 51.54057,
        "longitude": -0.14334,
        "population": 220338,
        "countrycode": "GB",
        "admin1code": "ENG",
        "alternatenames": ["Camden"],
    },
    "4503646": {
        "geonameid": 4503646,
        "name": "Camden",
        "latitude": 39.92595,
        "longitude": -75.11962,
        "population": 71791,
        "countrycode": "US",
        "admin1code": "NJ",
        "alternatenames": [],
    },
}


@pytest.fixture
def few_towns(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """A data folder of its own and a gazetteer of three towns; yields the builds so far."""
    settings.DATA_DIR = tmp_path
    builds: list[int] = []

    def from_geonames() -> dict[str, Any]:
        builds.append(1)
        return build(CITIES, {"NJ": "New Jersey"}, {"GB": "United Kingdom", "US": "United States"})

    monkeypatch.setattr(gazetteer_module, "_from_geonames", from_geonames)
    gazetteer_module._load.cache_clear()
    yield builds
    # The next test's process-wide index is the real one again.
    gazetteer_module._load.cache_clear()


def _new_process() -> None:
    gazetteer_module._load.cache_clear()


def test_the_index_is_built_once_and_read_back_by_the_next_process(few_towns):
    first = [p.label for p in gazetteer().named("Londres")]
    assert few_towns == [1]
    assert prepared_path().is_file()

    _new_process()
    again = [p.label for p in gazetteer().named("Londres")]

    assert few_towns == [1]
    assert first == again == ["London, United Kingdom"]
    camdens = sorted(p.label for p in gazetteer().named("Camden"))
    assert camdens == ["Camden Town, United Kingdom", "Camden, New Jersey, United States"]
    # Airport codes are still left out, and sentences still find names in them.
    assert gazetteer().named("LON") == []
    found = {(p.label, words) for p, words in gazetteer().find("help in camden town")}
    assert found == {
        ("Camden Town, United Kingdom", 2),
        ("Camden, New Jersey, United States", 1),
    }


def test_a_damaged_prepared_file_is_built_again_and_said(few_towns, caplog):
    prepared_path().write_bytes(b"half a file")

    with caplog.at_level(logging.WARNING, logger="mutua.core.gazetteer"):
        found = gazetteer().named("London")

    assert [p.name for p in found] == ["London"]
    assert few_towns == [1]
    assert "unreadable" in caplog.text
    _new_process()
    gazetteer()
    assert few_towns == [1]


def test_the_file_of_an_older_version_is_replaced(few_towns):
    old = prepared_path().with_name("gazetteer-2.0.0-1.npz")
    old.write_bytes(b"older data")

    gazetteer()

    assert not old.exists()
    assert prepared_path().is_file()


@pytest.mark.django_db
def test_serve_loads_the_index_before_forking_its_web_processes(few_towns, monkeypatch):
    loaded_at_fork: list[int] = []
    monkeypatch.setattr(
        Server,
        "run",
        lambda _self: loaded_at_fork.append(gazetteer_module._load.cache_info().currsize),
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    call_command("serve", "--port", str(port), "--no-worker", stdout=StringIO(), stderr=StringIO())

    assert loaded_at_fork == [1]
    assert few_towns == [1]
    assert prepared_path().is_file()
