"""Reading the cells of a dispatch spreadsheet: rows, numbers, times, and what is wrong.

No Django here: messages are templates marked with gettext_noop (which only tags them for
makemessages); the `mutua match` command translates them.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import IO


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


class Rows:
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


def number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def integer(text: str) -> int | None:
    value = number(text)
    if value is None or value != int(value):
        return None
    return int(value)


def parse_time(text: str, *, end: bool) -> float | None:
    """Seconds since the epoch; +-inf when empty (open); None when unreadable."""
    if not text:
        return math.inf if end else -math.inf
    seconds = number(text)
    if seconds is not None:
        return seconds
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


class NameIndex:
    """Category or language names to indices, in order of first appearance."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
        return self.index[name]


def coordinate(rows: Rows, line: int, values: dict[str, str], column: str, limit: int) -> float:
    value = number(values[column])
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


def required(rows: Rows, line: int, values: dict[str, str], column: str) -> str:
    if not values[column]:
        rows.problem(line, gettext_noop("%(column)s is required"), column=column)
    return values[column]


def unique_id(rows: Rows, line: int, values: dict[str, str], seen: dict[str, int]) -> str:
    ident = required(rows, line, values, "id")
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


def window(
    rows: Rows, line: int, values: dict[str, str], start_column: str, end_column: str
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
