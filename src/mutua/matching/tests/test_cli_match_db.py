"""`mutua match --group SLUG` and `--network SLUG`: dispatch from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mutua.core.tests.factories import make_ask, make_group
from mutua.matching.models import DispatchRun, Suggestion, SuggestionStatus
from mutua.matching.tests.db_people import NEAR, new_member

pytestmark = pytest.mark.django_db


def match(*args: str) -> str:
    out = StringIO()
    call_command("match", *args, stdout=out)
    return out.getvalue()


def row(output: str, label: str) -> list[str]:
    """The cells of the summary table's row starting with `label`."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in:\n{output}")


def test_match_group_prints_the_summary_and_writes_suggestions(ward):
    robin = new_member(ward, "Robin", home=NEAR)
    shopping = make_ask()
    make_ask(category="pets")

    output = match("--group", ward.slug)

    assert "Dispatch for Hackney Central" in output
    assert row(output, "asks considered") == ["asks considered", "2"]
    assert row(output, "helpers available") == ["helpers available", "1"]
    assert row(output, "proposed") == ["proposed", "1"]
    assert row(output, "not matched: nobody close enough helps with this kind of help")[1] == "1"
    suggestion = Suggestion.objects.get()
    assert (suggestion.ask, suggestion.helper, suggestion.status) == (
        shopping,
        robin,
        SuggestionStatus.PENDING,
    )
    assert DispatchRun.objects.get().actor is None


def test_match_network_takes_in_every_nested_group(db):
    network = make_group(name="East London", kind="network", radius_km=5)
    ward = make_group(name="Hackney Central", parent=network)
    new_member(ward, "Robin", home=NEAR)
    make_ask()

    only_the_network = match("--group", network.slug)
    assert row(only_the_network, "asks considered")[1] == "0"
    assert not Suggestion.objects.exists()

    output = match("--network", network.slug)

    assert "Dispatch for East London" in output
    assert row(output, "proposed")[1] == "1"
    assert Suggestion.objects.get().group == ward


def test_unknown_slug_is_one_clear_line(ward):
    for option in ("--group", "--network"):
        with pytest.raises(CommandError) as error:
            match(option, "nowhere")
        assert str(error.value) == "There is no group with the short name nowhere."
    assert not DispatchRun.objects.exists()


def test_an_empty_group_gives_an_empty_table(ward):
    output = match("--group", ward.slug)

    assert row(output, "asks considered")[1] == "0"
    assert row(output, "helpers available")[1] == "0"
    assert row(output, "proposed")[1] == "0"
    assert "not matched" not in output


def test_asks_without_helpers_are_counted_with_the_reason(ward):
    make_ask()
    make_ask()

    output = match("--group", ward.slug)

    assert row(output, "not matched: no helper lives close enough")[1] == "2"
    assert not Suggestion.objects.exists()
