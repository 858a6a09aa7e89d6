"""`mutua match --asks --helpers --out`: dispatch from spreadsheets, with no database.

No test here asks for the database: pytest-django fails any test that touches it, which is
how these tests show the CSV mode needs none.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ASKS = """id,lat,lon,category,urgency,language,window_start,window_end
bread,51.5460,-0.0550,groceries,2,,,
pills,51.5450,-0.0560,prescriptions,3,,,
polish,51.5470,-0.0540,groceries,1,pl,,
late,51.5465,-0.0545,groceries,1,,2024-05-03T18:00Z,2024-05-03T20:00Z
far,53.4800,-2.2400,groceries,1,,,
"""
HELPERS = """id,lat,lon,radius_km,categories,capacity,languages,available_from,available_to
ann,51.5455,-0.0555,2,groceries;prescriptions,1,en,,
bob,51.5500,-0.0600,3,groceries,2,en;pl,2024-05-03T08:00Z,2024-05-03T12:00Z
cat,51.5400,-0.0500,1,prescriptions,1,en,,
"""


def sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def match(tmp_path: Path, asks: str = ASKS, helpers: str = HELPERS, *extra: str) -> str:
    out = StringIO()
    call_command(
        "match",
        "--asks",
        str(sheet(tmp_path, "asks.csv", asks)),
        "--helpers",
        str(sheet(tmp_path, "helpers.csv", helpers)),
        "--out",
        str(tmp_path / "matches.csv"),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_matches_respect_category_language_time_and_capacity(tmp_path: Path) -> None:
    summary = match(tmp_path, ASKS, HELPERS, "--unmatched", str(tmp_path / "unmatched.csv"))
    matches = {row["ask_id"]: row for row in rows(tmp_path / "matches.csv")}
    # Everyone near Hackney can be served at once, but only one way: "late" is outside bob's
    # morning hours, so it needs ann (capacity 1); "pills" then goes to cat, the other
    # prescriptions helper; "polish" needs bob's Polish, and bob has room for "bread" too.
    assert {ask: row["helper_id"] for ask, row in matches.items()} == {
        "bread": "bob",
        "pills": "cat",
        "polish": "bob",
        "late": "ann",
    }
    assert float(matches["pills"]["distance_km"]) == pytest.approx(0.695, abs=0.005)
    assert list(matches["bread"]) == ["ask_id", "helper_id", "distance_km"]
    unmatched = rows(tmp_path / "unmatched.csv")
    assert unmatched == [{"ask_id": "far", "reason": "no_helper_in_range"}]
    assert "not matched: no helper in range" in summary
    assert "Matches written to" in summary


def test_each_unmatched_ask_says_why(tmp_path: Path) -> None:
    asks = (
        "id,lat,lon,category,urgency,language,window_start,window_end\n"
        "somali,51.5460,-0.0550,groceries,3,so,,\n"
        "evening,51.5460,-0.0550,groceries,3,,2024-05-03T18:00Z,2024-05-03T20:00Z\n"
        "dog,51.5460,-0.0550,pets,3,,,\n"
        "soon,51.5460,-0.0550,groceries,3,,,\n"
        "whenever,51.5461,-0.0551,groceries,1,,,\n"
    )
    helpers = (
        "id,lat,lon,radius_km,categories,capacity,languages,available_from,available_to\n"
        "bob,51.5500,-0.0600,3,groceries,1,en;pl,2024-05-03T08:00Z,2024-05-03T12:00Z\n"
    )
    summary = match(tmp_path, asks, helpers, "--unmatched", str(tmp_path / "unmatched.csv"))
    assert rows(tmp_path / "matches.csv")[0]["ask_id"] == "soon"
    assert {row["ask_id"]: row["reason"] for row in rows(tmp_path / "unmatched.csv")} == {
        "somali": "no_language",
        "evening": "no_time",
        "dog": "no_category",
        "whenever": "capacity",
    }
    assert "every suitable helper was taken" in summary


def test_bad_rows_are_listed_by_line_and_nothing_is_written(tmp_path: Path) -> None:
    asks = ASKS + "broken,abc,-0.05,groceries,2,,,\nbread,51.5,-0.05,groceries,7,,,\n"
    with pytest.raises(CommandError) as caught:
        match(tmp_path, asks, HELPERS, "--unmatched", str(tmp_path / "unmatched.csv"))
    message = str(caught.value)
    assert "asks.csv line 7: lat must be a number from -90 to 90, got 'abc'" in message
    assert "asks.csv line 8: duplicate id 'bread' (first on line 2)" in message
    assert "asks.csv line 8: urgency must be 1, 2 or 3, got '7'" in message
    assert "Nothing was written." in message
    assert not (tmp_path / "matches.csv").exists()
    assert not (tmp_path / "unmatched.csv").exists()
    # Not even a temporary file is left behind.
    assert {path.name for path in tmp_path.iterdir()} == {"asks.csv", "helpers.csv"}


def test_an_existing_output_file_is_left_alone_when_the_input_is_bad(tmp_path: Path) -> None:
    previous = sheet(tmp_path, "matches.csv", "ask_id,helper_id,distance_km\nold,run,1.0\n")
    with pytest.raises(CommandError):
        match(tmp_path, "id,lat,lon,category,urgency\nA1,1,1,groceries,0\n", HELPERS)
    assert previous.read_text() == "ask_id,helper_id,distance_km\nold,run,1.0\n"


def test_a_helper_with_a_huge_capacity_takes_every_ask_they_can(tmp_path: Path) -> None:
    helpers = "id,lat,lon,radius_km,categories,capacity\nann,51.5455,-0.0555,5,groceries,1e12\n"
    match(tmp_path, ASKS, helpers)
    taken = {row["ask_id"] for row in rows(tmp_path / "matches.csv")}
    # "polish" needs a Polish speaker, "pills" prescriptions, "far" is in Manchester.
    assert taken == {"bread", "late"}


def test_a_missing_column_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        match(tmp_path, ASKS, "id,lat,lon,categories,capacity\n")
    assert str(caught.value).splitlines()[0] == (
        "helpers.csv: missing required column(s): radius_km"
    )


@pytest.mark.parametrize(
    ("asks", "helpers", "note"),
    [
        ("id,lat,lon,category,urgency\n", HELPERS, "There are no asks to match."),
        (ASKS, "id,lat,lon,radius_km,categories,capacity\n", "There are no helpers"),
    ],
)
def test_empty_files_give_an_empty_result_and_say_why(
    tmp_path: Path, asks: str, helpers: str, note: str
) -> None:
    summary = match(tmp_path, asks, helpers)
    assert (tmp_path / "matches.csv").read_text().splitlines() == ["ask_id,helper_id,distance_km"]
    assert note in summary


def test_options_must_name_one_source(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Give either --asks and --helpers"):
        call_command("match")
    with pytest.raises(CommandError, match="Give either --asks and --helpers"):
        call_command("match", "--asks", "a.csv", "--group", "ward")
    with pytest.raises(CommandError, match="give all three of --asks, --helpers and --out"):
        call_command("match", "--asks", str(sheet(tmp_path, "asks.csv", ASKS)))


def test_a_missing_input_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "match",
            "--asks",
            str(tmp_path / "nope.csv"),
            "--helpers",
            str(sheet(tmp_path, "helpers.csv", HELPERS)),
            "--out",
            str(tmp_path / "out.csv"),
        )


def test_the_mutua_command_runs_it_end_to_end(tmp_path: Path) -> None:
    mutua = Path(sys.executable).with_name("mutua")
    env = {**os.environ, "MUTUA_DATA_DIR": str(tmp_path / "var")}
    done = subprocess.run(
        [
            str(mutua),
            "match",
            "--asks",
            str(sheet(tmp_path, "asks.csv", ASKS)),
            "--helpers",
            str(sheet(tmp_path, "helpers.csv", HELPERS)),
            "--out",
            str(tmp_path / "matches.csv"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(rows(tmp_path / "matches.csv")) == 4
    assert "Matches written to" in done.stdout
    bad = subprocess.run(
        [str(mutua), "match", "--asks", str(tmp_path / "asks.csv")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0
