"""Dispatch from spreadsheets: read asks and helpers from CSV, write the matches.

No Django here: messages are returned as templates with parameters (marked for translation
with gettext_noop, which only tags them), and the `mutua match` command translates them.

Asks: id, lat, lon, category, urgency (1-3) and optional language, window_start, window_end.
Helpers: id, lat, lon, radius_km, categories (;-separated), capacity and optional languages
(;-separated), available_from, available_to. Categories and languages are free text, compared
case-insensitively. Times are ISO 8601 date-times (UTC unless an offset is given) or dates
(a date as the end of a window means the end of that day), or epoch seconds; empty is open.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from .cells import (
    NameIndex,
    Problem,
    Rows,
    coordinate,
    gettext_noop,
    integer,
    number,
    required,
    unique_id,
    window,
)
from .model import MAX_CATEGORIES, MAX_LANGUAGES, AskArrays, Assignment, HelperArrays, Reason

ASK_COLUMNS = ("id", "lat", "lon", "category", "urgency")
ASK_OPTIONAL = ("language", "window_start", "window_end")
HELPER_COLUMNS = ("id", "lat", "lon", "radius_km", "categories", "capacity")
HELPER_OPTIONAL = ("languages", "available_from", "available_to")
MATCH_COLUMNS = ("ask_id", "helper_id", "distance_km")
UNMATCHED_COLUMNS = ("ask_id", "reason")


class SpreadsheetError(Exception):
    """The files cannot be matched; `problems` lists every bad row found (in file order)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].format() if problems else "")
        self.problems = problems


@dataclass(frozen=True)
class Sheets:
    ask_ids: list[str]
    helper_ids: list[str]
    asks: AskArrays
    helpers: HelperArrays
    categories: list[str]
    languages: list[str]


def reason_slug(reason: int) -> str:
    """The word written for a reason in the unmatched file, e.g. no_helper_in_range."""
    return Reason(reason).name.lower()


@contextmanager
def _open(path: Path, name: str, problems: list[Problem]) -> Iterator[IO[str] | None]:
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs put at the start.
        with path.open(encoding="utf-8-sig", newline="") as stream:
            yield stream
    except UnicodeDecodeError:
        problems.append(Problem(name, gettext_noop("is not UTF-8 text; save it as CSV UTF-8")))
    except OSError as exc:
        problems.append(
            Problem(
                name,
                gettext_noop("cannot be read (%(error)s)"),
                {"error": exc.strerror or str(exc)},
            )
        )


def read_sheets(
    asks_path: Path, helpers_path: Path, *, progress: Callable[[int], None] | None = None
) -> Sheets:
    """Both files, checked completely; raises SpreadsheetError listing every problem.

    `progress` is called with the number of rows read since the last call.
    """
    problems: list[Problem] = []
    categories = NameIndex()
    languages = NameIndex()
    ask_ids: list[str] = []
    ask_rows: list[tuple[float, float, int, int, int, float, float]] = []
    asks_name = asks_path.name
    with _open(asks_path, asks_name, problems) as stream:
        if stream is not None:
            rows = Rows(asks_name, stream, ASK_COLUMNS, problems)
            seen: dict[str, int] = {}
            for count, (line, values) in enumerate(rows, start=1):
                ask_ids.append(unique_id(rows, line, values, seen))
                lat = coordinate(rows, line, values, "lat", 90)
                lon = coordinate(rows, line, values, "lon", 180)
                category = required(rows, line, values, "category").lower()
                urgency = integer(values["urgency"])
                if urgency not in (1, 2, 3):
                    rows.problem(
                        line,
                        gettext_noop("urgency must be 1, 2 or 3, got %(value)r"),
                        value=values["urgency"],
                    )
                    urgency = 1
                language = values.get("language", "").lower()
                start, end = window(rows, line, values, "window_start", "window_end")
                ask_rows.append(
                    (
                        lat,
                        lon,
                        categories.add(category) if category else 0,
                        urgency,
                        languages.add(language) if language else -1,
                        start,
                        end,
                    )
                )
                if progress is not None and count % 10_000 == 0:
                    progress(10_000)
    helper_ids: list[str] = []
    helper_rows: list[tuple[float, float, float, int, int, int, float, float]] = []
    helpers_name = helpers_path.name
    with _open(helpers_path, helpers_name, problems) as stream:
        if stream is not None:
            rows = Rows(helpers_name, stream, HELPER_COLUMNS, problems)
            seen = {}
            for count, (line, values) in enumerate(rows, start=1):
                helper_ids.append(unique_id(rows, line, values, seen))
                lat = coordinate(rows, line, values, "lat", 90)
                lon = coordinate(rows, line, values, "lon", 180)
                radius = number(values["radius_km"])
                if radius is None or radius < 0:
                    rows.problem(
                        line,
                        gettext_noop("radius_km must be a number of km, 0 or more, got %(value)r"),
                        value=values["radius_km"],
                    )
                    radius = 0.0
                skills = {p.strip().lower() for p in values["categories"].split(";") if p.strip()}
                if not skills:
                    rows.problem(line, gettext_noop("categories must name at least one category"))
                capacity = integer(values["capacity"])
                if capacity is None or capacity < 0:
                    rows.problem(
                        line,
                        gettext_noop("capacity must be a whole number, 0 or more, got %(value)r"),
                        value=values["capacity"],
                    )
                    capacity = 0
                spoken = {
                    p.strip().lower() for p in values.get("languages", "").split(";") if p.strip()
                }
                start, end = window(rows, line, values, "available_from", "available_to")
                # Only what some ask needs matters: other categories and languages are dropped.
                skill_mask = sum(1 << categories.index[s] for s in skills if s in categories.index)
                language_mask = sum(1 << languages.index[s] for s in spoken if s in languages.index)
                helper_rows.append(
                    (lat, lon, radius, skill_mask, language_mask, capacity, start, end)
                )
                if progress is not None and count % 10_000 == 0:
                    progress(10_000)
    if len(categories.names) > MAX_CATEGORIES:
        problems.append(
            Problem(
                asks_name,
                gettext_noop(
                    "asks name %(count)d different categories; at most %(limit)d can be "
                    "matched at once, so split the file"
                ),
                {"count": len(categories.names), "limit": MAX_CATEGORIES},
            )
        )
    if len(languages.names) > MAX_LANGUAGES:
        problems.append(
            Problem(
                asks_name,
                gettext_noop(
                    "asks need %(count)d different languages; at most %(limit)d can be "
                    "matched at once, so split the file"
                ),
                {"count": len(languages.names), "limit": MAX_LANGUAGES},
            )
        )
    if problems:
        raise SpreadsheetError(problems)
    a = np.array(ask_rows, dtype=np.float64).reshape(-1, 7)
    h = np.array(helper_rows, dtype=object).reshape(-1, 8)
    return Sheets(
        ask_ids=ask_ids,
        helper_ids=helper_ids,
        asks=AskArrays(
            lat=a[:, 0].copy(),
            lon=a[:, 1].copy(),
            category=a[:, 2].astype(np.int16),
            urgency=a[:, 3].astype(np.int8),
            language=a[:, 4].astype(np.int16),
            window_start=a[:, 5].copy(),
            window_end=a[:, 6].copy(),
        ),
        helpers=HelperArrays(
            lat=h[:, 0].astype(np.float64),
            lon=h[:, 1].astype(np.float64),
            radius_km=h[:, 2].astype(np.float64),
            categories=h[:, 3].astype(np.uint32),
            # Masks above 2**63 do not fit int64; go through Python ints.
            languages=np.array([int(v) for v in h[:, 4]], dtype=np.uint64),
            # A helper never takes more asks than the sheet holds; capping there keeps a
            # capacity typed as 1e12 inside int32.
            capacity=np.minimum(h[:, 5], len(ask_ids)).astype(np.int32),
            available_from=h[:, 6].astype(np.float64),
            available_to=h[:, 7].astype(np.float64),
        ),
        categories=categories.names,
        languages=languages.names,
    )


@contextmanager
def _replacing(path: Path) -> Iterator[IO[str]]:
    """Write to a temporary file beside `path`, and put it in place only if all went well."""
    handle, temporary = tempfile.mkstemp(
        dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_results(
    sheets: Sheets, assignment: Assignment, out: Path, unmatched: Path | None = None
) -> None:
    """The matches (one row per matched ask, in input order) and optionally the unmatched.

    Both files are complete or absent: each is written beside its place and moved there last.
    """
    side: AbstractContextManager[IO[str] | None] = (
        _replacing(unmatched) if unmatched is not None else nullcontext(None)
    )
    with _replacing(out) as stream, side as side_stream:
        writer = csv.writer(stream)
        writer.writerow(MATCH_COLUMNS)
        for ask in np.flatnonzero(assignment.helper >= 0).tolist():
            writer.writerow(
                (
                    sheets.ask_ids[ask],
                    sheets.helper_ids[int(assignment.helper[ask])],
                    f"{assignment.distance_km[ask]:.3f}",
                )
            )
        if side_stream is not None:
            side_writer = csv.writer(side_stream)
            side_writer.writerow(UNMATCHED_COLUMNS)
            for ask in np.flatnonzero(assignment.helper < 0).tolist():
                side_writer.writerow(
                    (sheets.ask_ids[ask], reason_slug(int(assignment.reason[ask])))
                )
