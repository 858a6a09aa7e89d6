"""The engine's data: input arrays, the result, reasons, and input validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt

# Mean Earth radius (IUGG), the same value as mutua.core.geo, which the engine may not import.
EARTH_RADIUS_KM = 6371.0088
MAX_CATEGORIES = 32
MAX_LANGUAGES = 64

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class AskArrays:
    """M asks; every array has length M."""

    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    category: npt.NDArray[np.int16]
    urgency: npt.NDArray[np.int8]
    language: npt.NDArray[np.int16]
    window_start: npt.NDArray[np.float64]
    window_end: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return int(np.shape(self.lat)[0])


@dataclass(frozen=True)
class HelperArrays:
    """N helpers; every array has length N."""

    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    radius_km: npt.NDArray[np.float64]
    categories: npt.NDArray[np.uint32]
    languages: npt.NDArray[np.uint64]
    capacity: npt.NDArray[np.int32]
    available_from: npt.NDArray[np.float64]
    available_to: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return int(np.shape(self.lat)[0])


class Reason(IntEnum):
    """Why an ask was not matched (MATCHED when it was)."""

    MATCHED = 0
    NO_HELPER_IN_RANGE = 1
    NO_CATEGORY = 2
    NO_LANGUAGE = 3
    NO_TIME = 4
    CAPACITY = 5


@dataclass
class Assignment:
    helper: npt.NDArray[np.int64]
    distance_km: npt.NDArray[np.float64]
    reason: npt.NDArray[np.int8]
    matched: int
    cost: float
    stats: dict[str, float] = field(default_factory=dict)


class EngineInputError(ValueError):
    """The input arrays break the contract; the message names the array and the first bad index."""


def _first_bad(mask: npt.NDArray[np.bool_]) -> int | None:
    bad = np.flatnonzero(mask)
    return int(bad[0]) if bad.size else None


def _as_1d(name: str, values: object, length: int | None) -> npt.NDArray[Any]:
    array: npt.NDArray[Any] = np.asarray(values)
    if array.ndim != 1:
        raise EngineInputError(f"{name} must be one-dimensional, got shape {array.shape}")
    if length is not None and array.shape[0] != length:
        raise EngineInputError(f"{name} has length {array.shape[0]} but should have {length}")
    return array


def _floats(name: str, values: object, length: int) -> FloatArray:
    array = _as_1d(name, values, length)
    if array.dtype.kind not in "fiub":
        raise EngineInputError(f"{name} must hold numbers, got dtype {array.dtype}")
    return np.asarray(array, dtype=np.float64)


def _integers(name: str, values: object, length: int, low: int, high: int) -> IntArray:
    """Integers in [low, high]; floats are accepted only when they are whole numbers."""
    array = _as_1d(name, values, length)
    if array.dtype.kind == "f":
        bad = _first_bad(~np.isfinite(array) | (array != np.round(array)))
        if bad is not None:
            raise EngineInputError(f"{name}[{bad}] must be a whole number, got {array[bad]!r}")
    elif array.dtype.kind not in "iub":
        raise EngineInputError(f"{name} must hold integers, got dtype {array.dtype}")
    if array.dtype.kind == "u" and array.dtype.itemsize == 8:
        # uint64 does not fit int64 in general; compare before converting.
        bad = _first_bad(array > np.uint64(high))
    else:
        as_int = array.astype(np.int64)
        bad = _first_bad((as_int < low) | (as_int > high))
    if bad is not None:
        raise EngineInputError(f"{name}[{bad}] must be from {low} to {high}, got {array[bad]!r}")
    return array.astype(np.int64)


def _coordinates(prefix: str, lat: object, lon: object) -> tuple[FloatArray, FloatArray]:
    lat_a = np.asarray(_as_1d(f"{prefix}.lat", lat, None))
    length = lat_a.shape[0]
    lat_f = _floats(f"{prefix}.lat", lat_a, length)
    lon_f = _floats(f"{prefix}.lon", lon, length)
    bad = _first_bad(~np.isfinite(lat_f) | (np.abs(lat_f) > 90))
    if bad is not None:
        raise EngineInputError(
            f"{prefix}.lat[{bad}] must be a finite latitude from -90 to 90, got {lat_f[bad]!r}"
        )
    bad = _first_bad(~np.isfinite(lon_f) | (np.abs(lon_f) > 180))
    if bad is not None:
        raise EngineInputError(
            f"{prefix}.lon[{bad}] must be a finite longitude from -180 to 180, got {lon_f[bad]!r}"
        )
    return lat_f, lon_f


def _window(
    prefix: str, start_name: str, end_name: str, start: object, end: object, length: int
) -> tuple[FloatArray, FloatArray]:
    start_f = _floats(f"{prefix}.{start_name}", start, length)
    end_f = _floats(f"{prefix}.{end_name}", end, length)
    for name, values in ((start_name, start_f), (end_name, end_f)):
        bad = _first_bad(np.isnan(values))
        if bad is not None:
            raise EngineInputError(f"{prefix}.{name}[{bad}] is NaN; use -inf/+inf for open ends")
    bad = _first_bad(start_f > end_f)
    if bad is not None:
        raise EngineInputError(
            f"{prefix}.{start_name}[{bad}] ({start_f[bad]!r}) is after "
            f"{prefix}.{end_name}[{bad}] ({end_f[bad]!r})"
        )
    return start_f, end_f


def validate_asks(asks: AskArrays) -> AskArrays:
    """Check every ask array and return them with the documented dtypes."""
    lat, lon = _coordinates("asks", asks.lat, asks.lon)
    m = lat.shape[0]
    category = _integers("asks.category", asks.category, m, 0, MAX_CATEGORIES - 1)
    urgency = _integers("asks.urgency", asks.urgency, m, 1, 3)
    language = _integers("asks.language", asks.language, m, -1, MAX_LANGUAGES - 1)
    start, end = _window(
        "asks", "window_start", "window_end", asks.window_start, asks.window_end, m
    )
    return AskArrays(
        lat=lat,
        lon=lon,
        category=category.astype(np.int16),
        urgency=urgency.astype(np.int8),
        language=language.astype(np.int16),
        window_start=start,
        window_end=end,
    )


def validate_helpers(helpers: HelperArrays) -> HelperArrays:
    """Check every helper array and return them with the documented dtypes."""
    lat, lon = _coordinates("helpers", helpers.lat, helpers.lon)
    n = lat.shape[0]
    radius = _floats("helpers.radius_km", helpers.radius_km, n)
    bad = _first_bad(np.isnan(radius) | (radius < 0))
    if bad is not None:
        raise EngineInputError(
            f"helpers.radius_km[{bad}] must be a number of km, 0 or more, got {radius[bad]!r}"
        )
    categories = _integers("helpers.categories", helpers.categories, n, 0, 2**32 - 1)
    languages_raw = _as_1d("helpers.languages", helpers.languages, n)
    if languages_raw.dtype.kind == "i":
        bad = _first_bad(languages_raw < 0)
        if bad is not None:
            raise EngineInputError(
                f"helpers.languages[{bad}] must be a bitmask (0 or more), "
                f"got {languages_raw[bad]!r}"
            )
    elif languages_raw.dtype.kind not in "ub":
        raise EngineInputError(
            f"helpers.languages must be an unsigned bitmask, got dtype {languages_raw.dtype}"
        )
    capacity = _integers("helpers.capacity", helpers.capacity, n, 0, 2**31 - 1)
    start, end = _window(
        "helpers", "available_from", "available_to", helpers.available_from, helpers.available_to, n
    )
    return HelperArrays(
        lat=lat,
        lon=lon,
        radius_km=radius,
        categories=categories.astype(np.uint32),
        languages=languages_raw.astype(np.uint64),
        capacity=capacity.astype(np.int32),
        available_from=start,
        available_to=end,
    )


def _components(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    phi = np.radians(lat)
    lam = np.radians(lon)
    cos_phi = np.cos(phi)
    return cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)


def unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Points on the unit sphere (ECEF / R): straight-line chords there map exactly to arcs."""
    return np.column_stack(_components(lat, lon))


def chord_to_km(chord: FloatArray) -> FloatArray:
    """Great-circle km for a chord of the unit sphere: d = 2R asin(c/2)."""
    result: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord * 0.5, 1.0))
    return result


def km_to_chord(km: FloatArray) -> FloatArray:
    """Chord of the unit sphere for a great-circle distance (capped at the antipode)."""
    angle = np.minimum(np.asarray(km, dtype=np.float64) / EARTH_RADIUS_KM, np.pi)
    result: FloatArray = 2.0 * np.sin(angle * 0.5)
    return result


def great_circle_km(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Great-circle km between points (NumPy broadcasting), by the engine's chord formula.

    Differences of unit vectors rather than 2 - 2 a.b keep metre-scale distances accurate.
    """
    x1, y1, z1 = _components(np.asarray(lat1, np.float64), np.asarray(lon1, np.float64))
    x2, y2, z2 = _components(np.asarray(lat2, np.float64), np.asarray(lon2, np.float64))
    return chord_to_km(np.sqrt((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2))
