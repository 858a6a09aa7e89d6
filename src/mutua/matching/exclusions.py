"""Pairs of ask and helper dispatch must never make: the ask's own asker, members who
blocked each other, anyone the ask's group's rules would not let take it (aid.taking),
and whoever declined it. Non-members aid lets take particular asks (aid.extensions: a
volunteer who joined an incident, for its cases) are allowed for those asks only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from mutua.aid import taking
from mutua.aid.models import AskStatus, Claim, ClaimOutcome
from mutua.core.categories import Category
from mutua.governance.selectors import group_settings
from mutua.groups.models import Group
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.privacy.selectors import blocked_pairs

# The engine's kinds of help, by index (the adapter's arrays use the same).
CATEGORIES: list[str] = list(Category.values)


class AskRow(Protocol):
    """What this reads of an ask the adapter loaded (its _AskRow)."""

    @property
    def pk(self) -> int: ...
    @property
    def group_id(self) -> int | None: ...
    @property
    def asker_id(self) -> int | None: ...
    @property
    def category(self) -> int: ...


def exclusions(
    asks: Sequence[AskRow], helper_ids: list[int], groups: list[Group], guests: dict[int, set[int]]
) -> tuple[dict[int, set[int]], set[int]]:
    """Pairs never to propose (ask index -> helper indexes), and the asks declined before."""
    helper_index = {user_id: i for i, user_id in enumerate(helper_ids)}
    ask_index = {row.pk: i for i, row in enumerate(asks)}
    excluded: dict[int, set[int]] = {}
    for i, row in enumerate(asks):
        if row.asker_id in helper_index:
            excluded.setdefault(i, set()).add(helper_index[row.asker_id])
    # Members who blocked each other are never paired, whichever way the block goes.
    asker_of: dict[int, list[int]] = {row.asker_id: [] for row in asks if row.asker_id is not None}
    for i, row in enumerate(asks):
        if row.asker_id is not None:
            asker_of[row.asker_id].append(i)
    for blocker_id, blocked_id in blocked_pairs(list(asker_of)).values_list(
        "blocker_id", "blocked_id"
    ):
        for asker_id, other_id in ((blocker_id, blocked_id), (blocked_id, blocker_id)):
            if asker_id in asker_of and other_id in helper_index:
                for i in asker_of[asker_id]:
                    excluded.setdefault(i, set()).add(helper_index[other_id])
    # The group's rules for taking its asks (who, blocks aside, limits, the asker's no):
    # dispatch never suggests someone who could not take the ask.
    takers: dict[tuple[int, str], set[int]] = {}
    by_pk = {g.pk: g for g in groups}
    for i, row in enumerate(asks):
        group = by_pk.get(row.group_id) if row.group_id is not None else None
        if group is None:
            excluded.setdefault(i, set()).update(helper_index.values())
            continue
        rule = group_settings(group).take_rule(CATEGORIES[row.category])
        key = (group.pk, rule)
        if key not in takers:
            takers[key] = taking.allowed_takers(group, rule)
        allowed = takers[key] | guests.get(row.pk, set())
        excluded.setdefault(i, set()).update(
            index for user_id, index in helper_index.items() if user_id not in allowed
        )
    for ask_id, helper_id in Claim.objects.filter(
        outcome=ClaimOutcome.DECLINED, ask_id__in=list(ask_index)
    ).values_list("ask_id", "helper_id"):
        if helper_id in helper_index:
            excluded.setdefault(ask_index[ask_id], set()).add(helper_index[helper_id])
    declines = Suggestion.objects.filter(
        status=SuggestionStatus.DECLINED, ask__status=AskStatus.OPEN, ask__group__in=groups
    ).values_list("ask_id", "helper_id")
    declined: set[int] = set()
    for ask_id, helper_id in declines:
        if ask_id in ask_index:
            declined.add(ask_index[ask_id])
            if helper_id in helper_index:
                excluded.setdefault(ask_index[ask_id], set()).add(helper_index[helper_id])
    return excluded, declined
