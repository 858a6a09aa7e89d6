"""Scrubbing contact details out of a relayed message (a pure function)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mutua.relay.scrub import scrub

MARK = "[x]"


def test_numbers_and_addresses_in_the_usual_shapes_go():
    text = (
        "ring 07700 900123, +44 (0)20 7946-0000 or 020.7946.0001; mail a.b+c@mail.example.org "
        "or someone (at) example . net"
    )

    cleaned = scrub(text, mark=MARK)

    assert cleaned.count(MARK) == 5
    for digits in ("900123", "7946", "example"):
        assert digits not in cleaned


def test_the_asks_own_address_goes_whole_and_in_parts_whatever_the_case():
    cleaned = scrub(
        "I live at 12 EXAMPLE   ROAD, by London E8 station",
        addresses=["12 Example Road, London E8"],
        mark=MARK,
    )

    assert cleaned == "I live at [x], by [x] station"


def test_ordinary_numbers_times_and_references_stay():
    text = "#A12 on my way, there at 10:30 with 2 pints and 6 eggs, flat 3"

    assert scrub(text, known=["+44 20 7946 0000"], mark=MARK) == text


@given(
    before=st.text(alphabet="abcdefgh ,.!", max_size=30),
    digits=st.text(alphabet="0123456789", min_size=7, max_size=15),
    separator=st.sampled_from(["", " ", "-", ".", " - "]),
    after=st.text(alphabet="abcdefgh ,.!", max_size=30),
)
def test_no_run_of_seven_digits_survives(before, digits, separator, after):
    number = separator.join([digits[:3], digits[3:]])

    cleaned = scrub(f"{before} {number} {after}", mark=MARK)

    assert sum(c.isdigit() for c in cleaned) == 0
