"""How a proposal's outcome follows from the positions taken: pure functions, no database.

Round 1 is consensus: it passes when nobody blocks and at least N members agree. A group
may choose a fallback: a proposal that did not reach consensus goes to a second round,
which passes on consensus or on a qualified majority of the positions cast (agree,
disagree and block; abstentions do not count), with at least N agrees there too. In the
second round a block counts as a vote against. Shares are compared in whole numbers, so a
tie at exactly the threshold passes and 1 against 1 never passes a majority above 50%.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    PASSED = "passed"
    NOT_PASSED = "not-passed"
    SECOND_ROUND = "second-round"


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    abstain: int = 0
    disagree: int = 0
    block: int = 0

    @property
    def cast(self) -> int:
        """Positions that count towards a majority: everything but abstentions."""
        return self.agree + self.disagree + self.block


@dataclass(frozen=True)
class Rules:
    min_agrees: int
    majority_percent: int
    second_round: bool


def agrees_needed(rules: Rules, eligible: int) -> int:
    """N, but never more than the members who may take a position, so that a group
    smaller than its N can still decide (and at least one agree, always)."""
    return max(1, min(rules.min_agrees, eligible))


def consensus_reached(tally: Tally, needed: int) -> bool:
    return tally.block == 0 and tally.agree >= needed


def majority_reached(tally: Tally, needed: int, percent: int) -> bool:
    return tally.agree >= needed and tally.agree * 100 >= percent * tally.cast


def verdict(tally: Tally, rules: Rules, *, round: int, eligible: int) -> Verdict:
    """The outcome at a round's deadline."""
    needed = agrees_needed(rules, eligible)
    if consensus_reached(tally, needed):
        return Verdict.PASSED
    if round == 1:
        return Verdict.SECOND_ROUND if rules.second_round else Verdict.NOT_PASSED
    if majority_reached(tally, needed, rules.majority_percent):
        return Verdict.PASSED
    return Verdict.NOT_PASSED
