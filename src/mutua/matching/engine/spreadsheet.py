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
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO

import numpy as np

from .model import MAX_CATEGORIES, MAX_LANGUAGES, AskArrays, Assignment, HelperArrays, Reason

ASK_COLUMNS = ("id", "lat", "lon", "category", "urgency")
ASK_OPTIONAL = ("language", "window_start", "window_end")
HELPER_COLUMNS = ("id", "lat", "lon", "radius_km", "categories", "capacity")
HELPER_OPTIONAL = ("languages", "available_from", "available_to")
MATCH_COLUMNS = ("ask_id", "helper_id", "distance_km")
UNMATCHED_COLUMNS = ("ask_id", "reason")


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds it); the command translates it."""
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, as a translatable template and its parameters."""

    file: str
    template: str
    params: dict[str, object] = field(default_factory=dict)
    line: int | None = None

    def format(self, translate: Callable[[str], str] = gettext_noop) -> str:
        if self.line is None:
            where = translate(gettext_noop("%(file)s: ")) % {"file": self.file}
        else:
            where = translate(gettext_noop("%(file)s line %(line)d: ")) % {
                "file": self.file,
                "line": self.line,
            }
        return where + translate(self.template) % self.params


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


class _Rows:
    """Reads one CSV file row by row, checking the header and collecting problems."""

    def __init__(
        self,
        name: str,
        stream: IO[str],
        required: tuple[str, ...],
        problems: list[Problem],
    ) -> None:
        self.name = name
        self.problems = problems
        self.reader = csv.reader(stream)
        header = next(self.reader, None)
        self.columns = [cell.strip().lower() for cell in header] if header else []
        missing = [column for column in required if column not in self.columns]
        self.ok = not (header and missing)
        if header and missing:
            problems.append(
                Problem(
                    name,
                    gettext_noop("missing required column(s): %(columns)s"),
                    {"columns": ", ".join(missing)},
                )
            )

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        if not self.ok or not self.columns:
            return
        width = len(self.columns)
        while True:
            # A quoted cell may hold line breaks: report the line where the record starts.
            line = self.reader.line_num + 1
            row = next(self.reader, None)
            if row is None:
                return
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                self.problem(
                    line,
                    gettext_noop("has %(count)d fields but the header has %(expected)d"),
                    count=len(row),
                    expected=width,
                )
                continue
            cells = [cell.strip() for cell in row[:width]] + [""] * (width - len(row))
            # The first of two columns with the same name wins, as people read left to right.
            values: dict[str, str] = {}
            for column, cell in zip(self.columns, cells, strict=True):
                values.setdefault(column, cell)
            yield line, values

    def problem(self, line: int, template: str, **params: object) -> None:
        self.problems.append(Problem(self.name, template, params, line))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _integer(text: str) -> int | None:
    value = _number(text)
    if value is None or value != int(value):
        return None
    return int(value)


def parse_time(text: str, *, end: bool) -> float | None:
    """Seconds since the epoch; +-inf when empty (open); None when unreadable."""
    if not text:
        return math.inf if end else -math.inf
    number = _number(text)
    if number is not None:
        return number
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        # A bare date as the end of a window includes that whole day.
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return (start + timedelta(days=1 if end else 0)).timestamp()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


class _Index:
    """Category or language names to indices, in order of first appearance."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
        return self.index[name]


def _coordinate(rows: _Rows, line: int, values: dict[str, str], column: str, limit: int) -> float:
    value = _number(values[column])
    if value is None or abs(value) > limit:
        rows.problem(
            line,
            gettext_noop("%(column)s must be a number from %(low)d to %(high)d, got %(value)r"),
            column=column,
            low=-int(limit),
            high=int(limit),
            value=values[column],
        )
        return 0.0
    return value


def _required(rows: _Rows, line: int, values: dict[str, str], column: str) -> str:
    if not values[column]:
        rows.problem(line, gettext_noop("%(column)s is required"), column=column)
    return values[column]


def _unique_id(rows: _Rows, line: int, values: dict[str, str], seen: dict[str, int]) -> str:
    ident = _required(rows, line, values, "id")
    if ident and ident in seen:
        rows.problem(
            line,
            gettext_noop("duplicate id %(value)r (first on line %(first)d)"),
            value=ident,
            first=seen[ident],
        )
    elif ident:
        seen[ident] = line
    return ident


def _window(
    rows: _Rows, line: int, values: dict[str, str], start_column: str, end_column: str
) -> tuple[float, float]:
    times = []
    for column, end in ((start_column, False), (end_column, True)):
        text = values.get(column, "")
        value = parse_time(text, end=end)
        if value is None:
            rows.problem(
                line,
                gettext_noop(
                    "%(column)s must be an ISO 8601 date or date-time, or epoch seconds, "
                    "got %(value)r"
                ),
                column=column,
                value=text,
            )
            value = math.inf if end else -math.inf
        times.append(value)
    if times[0] > times[1]:
        rows.problem(
            line,
            gettext_noop("%(start)s (%(start_value)s) is after %(end)s (%(end_value)s)"),
            start=start_column,
            start_value=values.get(start_column, ""),
            end=end_column,
            end_value=values.get(end_column, ""),
        )
    return times[0], times[1]


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
    categories = _Index()
    languages = _Index()
    ask_ids: list[str] = []
    ask_rows: list[tuple[float, float, int, int, int, float, float]] = []
    asks_name = asks_path.name
    with _open(asks_path, asks_name, problems) as stream:
        if stream is not None:
            rows = _Rows(asks_name, stream, ASK_COLUMNS, problems)
            seen: dict[str, int] = {}
            for count, (line, values) in enumerate(rows, start=1):
                ask_ids.append(_unique_id(rows, line, values, seen))
                lat = _coordinate(rows, line, values, "lat", 90)
                lon = _coordinate(rows, line, values, "lon", 180)
                category = _required(rows, line, values, "category").lower()
                urgency = _integer(values["urgency"])
                if urgency not in (1, 2, 3):
                    rows.problem(
                        line,
                        gettext_noop("urgency must be 1, 2 or 3, got %(value)r"),
                        value=values["urgency"],
                    )
                    urgency = 1
                language = values.get("language", "").lower()
                start, end = _window(rows, line, values, "window_start", "window_end")
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
            rows = _Rows(helpers_name, stream, HELPER_COLUMNS, problems)
            seen = {}
            for count, (line, values) in enumerate(rows, start=1):
                helper_ids.append(_unique_id(rows, line, values, seen))
                lat = _coordinate(rows, line, values, "lat", 90)
                lon = _coordinate(rows, line, values, "lon", 180)
                radius = _number(values["radius_km"])
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
                capacity = _integer(values["capacity"])
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
                start, end = _window(rows, line, values, "available_from", "available_to")
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
            capacity=h[:, 5].astype(np.int32),
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
