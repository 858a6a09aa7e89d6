"""The outcome of a proposal from its positions: every rule and edge, then properties."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutua.governance.outcome import Rules, Tally, Verdict, agrees_needed, verdict

CONSENSUS = Rules(min_agrees=3, majority_percent=67, second_round=False)
WITH_FALLBACK = Rules(min_agrees=3, majority_percent=67, second_round=True)


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        (Tally(agree=3), Verdict.PASSED),
        (Tally(agree=5, abstain=4, disagree=6), Verdict.PASSED),  # disagree lets it pass
        (Tally(agree=2, abstain=5), Verdict.NOT_PASSED),  # not enough agrees
        (Tally(agree=9, block=1), Verdict.NOT_PASSED),  # one block stops it
        (Tally(), Verdict.NOT_PASSED),  # nobody took a position
    ],
)
def test_consensus(tally, expected):
    assert verdict(tally, CONSENSUS, round=1, eligible=20) == expected


def test_a_failed_first_round_goes_to_a_second_round_only_with_the_fallback():
    blocked = Tally(agree=9, block=1)

    assert verdict(blocked, WITH_FALLBACK, round=1, eligible=20) == Verdict.SECOND_ROUND
    assert verdict(blocked, CONSENSUS, round=1, eligible=20) == Verdict.NOT_PASSED


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        # 2/3 needs agree * 100 >= 67 * cast: 9 of 10 cast passes over a block.
        (Tally(agree=9, block=1), Verdict.PASSED),
        # Exactly at the threshold passes: 67 of 100.
        (Tally(agree=67, disagree=33), Verdict.PASSED),
        (Tally(agree=66, disagree=33, block=1), Verdict.NOT_PASSED),
        # Abstentions are not cast: 4 agree, 2 against, 50 abstain is 4/6 = 66.7% < 67%.
        (Tally(agree=4, disagree=1, block=1, abstain=50), Verdict.NOT_PASSED),
        (Tally(agree=7, disagree=2, block=1, abstain=50), Verdict.PASSED),
        # A majority still needs the N agrees.
        (Tally(agree=2), Verdict.NOT_PASSED),
        # A block withdrawn by the second round: consensus passes even below 2/3.
        (Tally(agree=3, disagree=5), Verdict.PASSED),
    ],
)
def test_second_round_majority(tally, expected):
    assert verdict(tally, WITH_FALLBACK, round=2, eligible=200) == expected


def test_a_tie_never_passes_a_majority():
    rules = Rules(min_agrees=1, majority_percent=51, second_round=True)

    assert verdict(Tally(agree=5, block=5), rules, round=2, eligible=20) == Verdict.NOT_PASSED
    assert verdict(Tally(agree=6, block=5), rules, round=2, eligible=20) == Verdict.PASSED


def test_a_small_group_needs_every_eligible_member_not_more():
    assert agrees_needed(CONSENSUS, eligible=2) == 2
    assert verdict(Tally(agree=2), CONSENSUS, round=1, eligible=2) == Verdict.PASSED
    assert verdict(Tally(agree=1, abstain=1), CONSENSUS, round=1, eligible=2) == (
        Verdict.NOT_PASSED
    )


def test_at_least_one_agree_is_always_needed():
    assert agrees_needed(CONSENSUS, eligible=0) == 1
    assert verdict(Tally(), CONSENSUS, round=1, eligible=0) == Verdict.NOT_PASSED


counts = st.integers(min_value=0, max_value=60)
tallies = st.builds(Tally, agree=counts, abstain=counts, disagree=counts, block=counts)
rules = st.builds(
    Rules,
    min_agrees=st.integers(min_value=1, max_value=30),
    majority_percent=st.integers(min_value=51, max_value=100),
    second_round=st.booleans(),
)
rounds = st.sampled_from([1, 2])
eligibles = st.integers(min_value=0, max_value=300)


def _with(tally: Tally, **more: int) -> Tally:
    return replace(tally, **{name: getattr(tally, name) + n for name, n in more.items()})


@given(tallies, rules, eligibles)
def test_any_block_stops_the_first_round(tally, rule, eligible):
    blocked = _with(tally, block=1)
    assert verdict(blocked, rule, round=1, eligible=eligible) != Verdict.PASSED


@given(tallies, rules, rounds, eligibles)
def test_one_more_agree_never_turns_a_pass_into_a_failure(tally, rule, round_, eligible):
    if verdict(tally, rule, round=round_, eligible=eligible) == Verdict.PASSED:
        more = _with(tally, agree=1)
        assert verdict(more, rule, round=round_, eligible=eligible) == Verdict.PASSED


@given(tallies, rules, rounds, eligibles, st.integers(min_value=1, max_value=50))
def test_abstentions_never_change_the_outcome(tally, rule, round_, eligible, extra):
    more = _with(tally, abstain=extra)
    assert verdict(more, rule, round=round_, eligible=eligible) == verdict(
        tally, rule, round=round_, eligible=eligible
    )


@given(tallies, rules, rounds, eligibles)
def test_a_pass_always_has_enough_agrees(tally, rule, round_, eligible):
    if verdict(tally, rule, round=round_, eligible=eligible) == Verdict.PASSED:
        assert tally.agree >= agrees_needed(rule, eligible) >= 1


@given(tallies, rules, eligibles)
def test_a_second_round_pass_without_consensus_has_the_qualified_share(tally, rule, eligible):
    if tally.block and verdict(tally, rule, round=2, eligible=eligible) == Verdict.PASSED:
        assert tally.agree / tally.cast >= rule.majority_percent / 100


@given(tallies, rules, eligibles)
def test_whatever_passes_the_first_round_passes_the_second(tally, rule, eligible):
    if verdict(tally, rule, round=1, eligible=eligible) == Verdict.PASSED:
        assert verdict(tally, rule, round=2, eligible=eligible) == Verdict.PASSED


@given(tallies, rules, eligibles)
def test_the_second_round_is_final(tally, rule, eligible):
    assert verdict(tally, rule, round=2, eligible=eligible) != Verdict.SECOND_ROUND
