"""Checks that live in apps above aid, registered here at start-up: aid sits below notify
(which knows whether a member linked a phone), privacy (which records blocks) and
incidents (which lets volunteers from other groups of a network take an incident's asks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mutua.people.models import User

if TYPE_CHECKING:
    from mutua.aid.models import Ask
    from mutua.groups.models import Group

# Whether a way to reach the member has been proven (a linked phone, ...).
ContactCheck = Callable[[User], bool]
# Whether two people must never be matched, either way round.
PairCheck = Callable[[User, User], bool]

# The groups through which someone who is not a member of the ask's group may still take
# it (a volunteer who joined the incident the ask belongs to: their own group). Their
# standing in those groups is checked as a member's would be.
GuestCheck = Callable[[User, "Ask"], "list[Group]"]

# For dispatch: for each of these ask ids, the ids of the non-members a GuestCheck would
# let take it (so the engine may suggest them), as their own groups' rules allow.
GuestTakers = Callable[[list[int]], dict[int, set[int]]]

_contact_checks: list[ContactCheck] = []
_pair_checks: list[PairCheck] = []
_guest_checks: list[GuestCheck] = []
_guest_takers: list[GuestTakers] = []


def register(
    *,
    contact: ContactCheck | None = None,
    pair: PairCheck | None = None,
    guest: GuestCheck | None = None,
    guest_takers: GuestTakers | None = None,
) -> None:
    if contact is not None and contact not in _contact_checks:
        _contact_checks.append(contact)
    if pair is not None and pair not in _pair_checks:
        _pair_checks.append(pair)
    if guest is not None and guest not in _guest_checks:
        _guest_checks.append(guest)
    if guest_takers is not None and guest_takers not in _guest_takers:
        _guest_takers.append(guest_takers)


def contact_proven(user: User) -> bool:
    return any(check(user) for check in _contact_checks)


def pair_blocked(one: User, other: User) -> bool:
    return any(check(one, other) for check in _pair_checks)


def guest_homes(user: User, ask: Ask) -> list[Group]:
    return [group for check in _guest_checks for group in check(user, ask)]


def guest_takers(ask_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for check in _guest_takers:
        for ask_id, users in check(ask_ids).items():
            found.setdefault(ask_id, set()).update(users)
    return found
