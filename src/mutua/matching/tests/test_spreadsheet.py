"""Reading asks and helpers from CSV: what spreadsheets really contain, and what is refused."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from mutua.matching.engine.cells import parse_time
from mutua.matching.engine.spreadsheet import SpreadsheetError, read_sheets

HELPERS = "id,lat,lon,radius_km,categories,capacity\nH1,51.5,-0.1,3,groceries,1\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def problems(tmp_path: Path, asks: str, helpers: str = HELPERS) -> list[str]:
    with pytest.raises(SpreadsheetError) as caught:
        read_sheets(write(tmp_path, "asks.csv", asks), write(tmp_path, "helpers.csv", helpers))
    return [problem.format() for problem in caught.value.problems]


def test_a_byte_order_mark_and_spreadsheet_padding_are_accepted(tmp_path: Path) -> None:
    asks = "\ufeffID, Lat ,lon,category,urgency,language\nA1,51.5,-0.1, Groceries ,2,,,\n\n"
    sheets = read_sheets(write(tmp_path, "asks.csv", asks), write(tmp_path, "helpers.csv", HELPERS))
    assert sheets.ask_ids == ["A1"]
    assert sheets.categories == ["groceries"]
    assert sheets.asks.language.tolist() == [-1]
    assert sheets.helpers.categories.tolist() == [1]


def test_categories_and_languages_are_numbered_by_first_use_and_unknown_ones_dropped(
    tmp_path: Path,
) -> None:
    asks = (
        "id,lat,lon,category,urgency,language\n"
        "A1,51.5,-0.1,pets,1,PL\nA2,51.5,-0.1,meals,1,\nA3,51.5,-0.1,pets,1,ur\n"
    )
    helpers = (
        "id,lat,lon,radius_km,categories,capacity,languages\n"
        "H1,51.5,-0.1,3,meals; Pets ;roofing,2,ur;pl;fr\n"
    )
    sheets = read_sheets(write(tmp_path, "a.csv", asks), write(tmp_path, "h.csv", helpers))
    assert sheets.categories == ["pets", "meals"]
    assert sheets.languages == ["pl", "ur"]
    assert sheets.asks.category.tolist() == [0, 1, 0]
    assert sheets.asks.language.tolist() == [0, -1, 1]
    assert sheets.helpers.categories.tolist() == [0b11]
    assert sheets.helpers.languages.tolist() == [0b11]


def test_every_bad_row_is_reported_with_its_line_number(tmp_path: Path) -> None:
    asks = (
        "id,lat,lon,category,urgency\n"
        "A1,abc,-0.1,groceries,3\n"
        '"A2","51.5","-0.1","note\nover two lines",9\n'
        "A1,51.5,-200,groceries,1\n"
    )
    found = problems(tmp_path, asks)
    assert found == [
        "asks.csv line 2: lat must be a number from -90 to 90, got 'abc'",
        "asks.csv line 3: urgency must be 1, 2 or 3, got '9'",
        "asks.csv line 5: duplicate id 'A1' (first on line 2)",
        "asks.csv line 5: lon must be a number from -180 to 180, got '-200'",
    ]


def test_helper_rows_are_checked_too(tmp_path: Path) -> None:
    helpers = (
        "id,lat,lon,radius_km,categories,capacity,available_from,available_to\n"
        "H1,51.5,-0.1,-1,groceries,1,,\n"
        "H2,51.5,-0.1,2,,1.5,,\n"
        "H3,51.5,-0.1,2,meals,1,2024-05-02,2024-05-01T10:00\n"
        ",51.5,-0.1,2,meals,1,soon,\n"
    )
    found = problems(tmp_path, "id,lat,lon,category,urgency\n", helpers)
    assert found == [
        "helpers.csv line 2: radius_km must be a number of km, 0 or more, got '-1'",
        "helpers.csv line 3: categories must name at least one category",
        "helpers.csv line 3: capacity must be a whole number, 0 or more, got '1.5'",
        "helpers.csv line 4: available_from (2024-05-02) is after available_to (2024-05-01T10:00)",
        "helpers.csv line 5: id is required",
        "helpers.csv line 5: available_from must be an ISO 8601 date or date-time, "
        "or epoch seconds, got 'soon'",
    ]


def test_a_missing_column_is_one_clear_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "id,lat,lon,urgency\nA1,1,1,1\n") == [
        "asks.csv: missing required column(s): category"
    ]


def test_more_than_32_categories_cannot_be_matched_at_once(tmp_path: Path) -> None:
    rows = "".join(f"A{i},51.5,-0.1,kind{i},1\n" for i in range(33))
    assert problems(tmp_path, "id,lat,lon,category,urgency\n" + rows) == [
        "asks.csv: asks name 33 different categories; at most 32 can be matched at once, "
        "so split the file"
    ]


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    asks = write(
        tmp_path, "asks.csv", "id,lat,lon,category,urgency\nA1,1,1,caf\u00e9,1\n", "latin-1"
    )
    with pytest.raises(SpreadsheetError, match="not UTF-8"):
        read_sheets(asks, write(tmp_path, "helpers.csv", HELPERS))


def test_header_only_files_read_as_empty(tmp_path: Path) -> None:
    sheets = read_sheets(
        write(tmp_path, "asks.csv", "id,lat,lon,category,urgency\n"),
        write(tmp_path, "helpers.csv", "id,lat,lon,radius_km,categories,capacity\n"),
    )
    assert sheets.ask_ids == []
    assert sheets.helper_ids == []
    assert sheets.asks.lat.shape == (0,)
    assert sheets.helpers.capacity.shape == (0,)


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("", False, -math.inf),
        ("", True, math.inf),
        ("1700000000", False, 1_700_000_000.0),
        ("2024-05-01T10:30:00Z", False, datetime(2024, 5, 1, 10, 30, tzinfo=UTC).timestamp()),
        ("2024-05-01T10:30+02:00", False, datetime(2024, 5, 1, 8, 30, tzinfo=UTC).timestamp()),
        ("2024-05-01 10:30", False, datetime(2024, 5, 1, 10, 30, tzinfo=UTC).timestamp()),
        ("2024-05-01", False, datetime(2024, 5, 1, tzinfo=UTC).timestamp()),
        # A date as the end of a window means the whole of that day.
        ("2024-05-01", True, datetime(2024, 5, 2, tzinfo=UTC).timestamp()),
        ("next tuesday", False, None),
        ("nan", False, None),
    ],
)
def test_times_are_iso_dates_date_times_or_epoch_seconds(
    text: str, end: bool, expected: float | None
) -> None:
    assert parse_time(text, end=end) == expected


def test_windows_reach_the_engine_as_seconds(tmp_path: Path) -> None:
    asks = (
        "id,lat,lon,category,urgency,window_start,window_end\n"
        "A1,51.5,-0.1,groceries,1,2024-05-01T09:00Z,2024-05-01\n"
    )
    sheets = read_sheets(write(tmp_path, "a.csv", asks), write(tmp_path, "h.csv", HELPERS))
    start, end = sheets.asks.window_start[0], sheets.asks.window_end[0]
    assert end - start == 15 * 3600
    assert np.isinf(sheets.helpers.available_from[0])
