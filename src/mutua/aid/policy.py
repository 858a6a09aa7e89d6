"""Who may do what to an ask: take it, give it back, mark it done, cancel it.

Each rule is one function taking who acts and the ask, and returning a `Decision`; the
services in `mutua.aid.services.lifecycle` call them and refuse with the decision's
message. Callers never say who someone is ("by the asker"): they pass an `Actor`, the
proof they hold (an account, the ask's private key, the phone a text came from), and the
rules work out the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from mutua.aid import taking
from mutua.aid.models import Ask, Claim
from mutua.aid.selectors import asker_key, offered_to
from mutua.core.phones import same_number
from mutua.governance.policy import may_dispatch
from mutua.groups.selectors import groups_of
from mutua.people.models import User


@dataclass(frozen=True)
class Actor:
    """Who is acting on (or looking at) an ask, by what they can prove.

    `user` is a signed-in account; `key` a private key of an ask, given to the person who
    asked (the link on their confirmation page, or the API's answer); `phone` the number
    a text message came from, as vouched for by the SMS gateway's signature.
    """

    user: User | None = None
    key: str | None = None
    phone: str | None = None

    @property
    def account(self) -> User | None:
        """The signed-in account, or None (an anonymous user object counts as none)."""
        user = self.user
        return user if user is not None and user.is_authenticated else None


class Why(StrEnum):
    """The reason behind a decision, for tests, logs and the safeguarding engineer's rules."""

    ASKER = "asker"
    HELPER = "helper"
    MEMBER = "member"
    OWN_ASK = "own-ask"
    NO_ACCOUNT = "no-account"
    NOT_THE_HELPER = "not-the-helper"
    NOT_THE_ASKER = "not-the-asker"
    NEITHER = "neither-helper-nor-asker"
    # The group's rules for taking its asks (see aid.taking).
    NO_GROUP = "no-group"
    BLOCKED = "blocked"
    DECLINED = "declined"
    NOT_A_MEMBER = "not-a-member"
    UNVERIFIED = "unverified"
    NOT_TRUSTED = "not-trusted"
    NOT_NAMED = "not-named"
    TOO_MANY = "too-many"
    SUSPENDED = "suspended"
    OFFERED_FIRST = "offered-first"
    # Passing an ask on to another group or server.
    DISPATCHER = "dispatcher"
    NOT_A_DISPATCHER = "not-a-dispatcher"


@dataclass(frozen=True)
class Decision:
    """Whether an action is allowed, why, and what to tell the person if it is not."""

    allowed: bool
    why: Why
    message: str = ""


def _allow(why: Why) -> Decision:
    return Decision(True, why)


def _refuse(why: Why, message: str) -> Decision:
    return Decision(False, why, message)


def is_asker(ask: Ask, actor: Actor) -> bool:
    """Whether the actor is the person who asked: their account, the ask's private key, or,
    for an ask made by text or phone, the number it was made from."""
    if actor.key and constant_time_compare(actor.key, asker_key(ask)):
        return True
    account = actor.account
    if account is not None and ask.asker_id == account.pk:
        return True
    # The very same number in E.164, not one that merely ends with the same digits.
    return bool(actor.phone and ask.contact_phone and same_number(actor.phone, ask.contact_phone))


def may_take(*, ask: Ask, user: User | None) -> Decision:
    """Whether this person may take (claim, or accept a suggestion of) the ask.

    Someone with an account, not the person who asked, whom the ask's group lets take it
    (aid.taking: its rule for who may take asks, blocks, the asker's no, the limits on
    open claims and on releases). Every refusal says what would let the person take it.
    Whether the ask is still open is not a permission: the claim service answers that
    with a conflict.
    """
    if user is None or not user.is_authenticated:
        return _refuse(Why.NO_ACCOUNT, _("Log in or sign up first; it takes a minute."))
    if ask.asker_id is not None and ask.asker_id == user.pk:
        return _refuse(Why.OWN_ASK, _("This is your own ask; someone else will pick it up."))
    if ask.offered_until is not None and offered_to(ask) != user.pk:
        return _refuse(
            Why.OFFERED_FIRST,
            _(
                "This ask answers someone's offer and is theirs to take first; it goes to "
                "the board if they cannot."
            ),
        )
    refused = taking.refusal(ask, user)
    if refused is not None:
        return _refuse(Why(refused.code), refused.message)
    return _allow(Why.MEMBER)


def may_release(*, claim: Claim, user: User | None) -> Decision:
    """Only the helper who took the ask gives it back."""
    if user is not None and claim.helper_id == user.pk:
        return _allow(Why.HELPER)
    return _refuse(Why.NOT_THE_HELPER, _("Only the person who took this ask can release it."))


def may_finish(*, ask: Ask, claim: Claim | None, actor: Actor) -> Decision:
    """The helper who took the ask, or the person who asked, marks it done."""
    account = actor.account
    if claim is not None and account is not None and claim.helper_id == account.pk:
        return _allow(Why.HELPER)
    if is_asker(ask, actor):
        return _allow(Why.ASKER)
    return _refuse(Why.NEITHER, _("Only the helper or the person who asked can mark this done."))


def may_cancel(*, ask: Ask, actor: Actor) -> Decision:
    """Only the person who asked withdraws the ask."""
    if is_asker(ask, actor):
        return _allow(Why.ASKER)
    return _refuse(Why.NOT_THE_ASKER, _("Only the person who asked can cancel this ask."))


def may_hand_on(*, ask: Ask, user: User | None) -> Decision:
    """Who may pass an ask on, to another group here or to a linked server.

    A group's ask: its dispatchers (or a containing group's, where the group allowed
    that; governance.policy.may_dispatch), who see what is stuck. An ask no group holds
    (the unrouted list): a member of any group, because nobody else will look at it.
    Moving an ask moves who may see its details, so nobody else may, the asker included.
    """
    if user is None or not user.is_authenticated:
        return _refuse(Why.NO_ACCOUNT, _("Log in or sign up first; it takes a minute."))
    if ask.group_id is None:
        if groups_of(user).exists():
            return _allow(Why.MEMBER)
        return _refuse(
            Why.NOT_A_MEMBER, _("Join a group first: its members pass on asks no group covers.")
        )
    assert ask.group is not None
    if may_dispatch(user, ask.group):
        return _allow(Why.DISPATCHER)
    return _refuse(Why.NOT_A_DISPATCHER, _("Only the group's dispatchers may pass its asks on."))
