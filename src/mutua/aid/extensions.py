"""Checks that live in apps above aid, registered here at start-up: aid sits below notify
(which knows whether a member linked a phone) and privacy (which records blocks)."""

from __future__ import annotations

from collections.abc import Callable

from mutua.people.models import User

# Whether a way to reach the member has been proven (a linked phone, ...).
ContactCheck = Callable[[User], bool]
# Whether two people must never be matched, either way round.
PairCheck = Callable[[User, User], bool]

_contact_checks: list[ContactCheck] = []
_pair_checks: list[PairCheck] = []


def register(*, contact: ContactCheck | None = None, pair: PairCheck | None = None) -> None:
    if contact is not None and contact not in _contact_checks:
        _contact_checks.append(contact)
    if pair is not None and pair not in _pair_checks:
        _pair_checks.append(pair)


def contact_proven(user: User) -> bool:
    return any(check(user) for check in _contact_checks)


def pair_blocked(one: User, other: User) -> bool:
    return any(check(one, other) for check in _pair_checks)
