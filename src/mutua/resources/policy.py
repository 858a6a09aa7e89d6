"""Who may do what with a group's shared resources. Every resources permission is here.

Members see everything the group holds (transparency). Recording money in and out is the
treasurer's, or any member's while nobody holds the role (governance.policy.may_act_as),
so a group is never locked out of its books. Who asked for money is another matter:
only the asker and a treasurer the group named see it, and only a named treasurer pays a
money ask, so openness never shows anyone who asked.
"""

from __future__ import annotations

from mutua.governance import policy as governance_policy
from mutua.governance.models import Role
from mutua.groups.models import Group
from mutua.groups.selectors import is_member
from mutua.people.models import User
from mutua.resources.models import Callout, MoneyAsk


def may_see(user: User | None, group: Group) -> bool:
    """The ledger, stock, shifts, things and callouts are open to every member."""
    return is_member(group=group, user=user)


def may_record_money(user: User | None, group: Group) -> bool:
    return governance_policy.may_act_as(user, group, Role.TREASURER)


def is_treasurer(user: User | None, group: Group) -> bool:
    return governance_policy.has_role(user, group, Role.TREASURER)


def may_see_asker(user: User | None, money_ask: MoneyAsk) -> bool:
    """The asker, and the group's treasurers during their term."""
    if user is None or not user.is_authenticated:
        return False
    return money_ask.asker_id == user.pk or is_treasurer(user, money_ask.group)


def may_send_callout(user: User | None, group: Group) -> bool:
    """A callout wakes members' phones: only a caller the group named sends one (no
    fallback to every member while nobody holds the role)."""
    return is_member(group=group, user=user) and governance_policy.has_role(
        user, group, Role.CALLER
    )


def may_close_callout(user: User | None, callout: Callout) -> bool:
    """Its caller, while still a member, or any caller the group names: whoever can call
    people out can tell them they are no longer needed."""
    if user is None or not is_member(group=callout.group, user=user):
        return False
    return callout.sent_by_id == user.pk or may_send_callout(user, callout.group)


def closable_callouts(user: User | None, group: Group, callouts: list[Callout]) -> set[int]:
    """The ids of the open ones among `callouts` (all of `group`) that `user` may close,
    for a page listing them (may_close_callout once, not per callout)."""
    if user is None or not is_member(group=group, user=user):
        return set()
    caller = may_send_callout(user, group)
    return {c.pk for c in callouts if c.is_open and (caller or c.sent_by_id == user.pk)}


def may_keep_stock(user: User | None, group: Group) -> bool:
    """Hubs, items and movements: the stock keepers, or any member while nobody holds
    the role (stock is no one's private detail)."""
    return governance_policy.may_act_as(user, group, Role.STOCK_KEEPER)
