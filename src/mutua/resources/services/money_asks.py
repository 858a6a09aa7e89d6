"""Money asks: a member asks the group's funds for an amount, privately.

Members see a money ask by its pseudonym; only the asker and a treasurer the group named
see who asked and why. A treasurer pays it within the group's rule (`money_ask_limit`:
what one member may be paid in 30 days without a decision), or puts it to the group as
a proposal, whose passing pays it (a governance effect this app registers). A treasurer
never pays their own ask.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.text import clean_text
from mutua.governance import selectors as governance_selectors
from mutua.governance import services as governance_services
from mutua.governance.extensions import EffectRefused
from mutua.governance.models import Proposal, ProposalKind
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources import money, policy
from mutua.resources.events import ResourceEvent, announce
from mutua.resources.models import MoneyAsk, MoneyAskStatus, TransferKind
from mutua.resources.services.ledger import lock_ledger, require_funds, write_transfer

LIMIT_WINDOW = timedelta(days=30)
PROPOSAL_DAYS = 7
# No 0/O or 1/I: a pseudonym is read aloud at meetings.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _pseudonym() -> str:
    return "M-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


@transaction.atomic
def ask_for_money(
    *, group: Group, asker: User, amount: int, reason: str = "", now: datetime | None = None
) -> MoneyAsk:
    """A member asks the pool for `amount` (minor units); `reason` is for the treasurer."""
    if not policy.may_see(asker, group):
        raise NotAllowed(
            _("Only members of %(group)s can ask its funds. Joining is one click.")
            % {"group": group.name}
        )
    money_ask = MoneyAsk.objects.create(
        group=group,
        asker=asker,
        pseudonym=_pseudonym(),
        amount=money.check_amount(amount),
        reason=clean_text(reason, field="reason", label=_("the reason"), limit=2000),
        created_at=now or timezone.now(),
    )
    announce(ResourceEvent.MONEY_ASKED, group_id=group.pk, object_id=money_ask.pk)
    return money_ask


def _locked(group: Group, money_ask_id: int) -> MoneyAsk:
    found = (
        MoneyAsk.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(group=group, pk=money_ask_id)
        .first()
    )
    if found is None:
        raise InvalidInput(_("There is no such money ask in this group."), field="money_ask")
    return found


def _require_treasurer(by: User, money_ask: MoneyAsk) -> None:
    if not policy.is_treasurer(by, money_ask.group):
        raise NotAllowed(
            _("Only a treasurer the group named decides money asks, during their term.")
        )


def paid_recently(group: Group, asker_id: int, *, now: datetime) -> int:
    """What the member's money asks were paid in the last 30 days, by anyone's decision."""
    total = MoneyAsk.objects.filter(
        group=group,
        asker_id=asker_id,
        status=MoneyAskStatus.PAID,
        decided_at__gt=now - LIMIT_WINDOW,
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def _pay(money_ask: MoneyAsk, *, by: User | None, at: datetime, proposal: Proposal | None) -> None:
    ledger = lock_ledger(money_ask.group)
    require_funds(ledger, money_ask.amount)
    money_ask.transfer = write_transfer(
        ledger,
        kind=TransferKind.PAYMENT,
        amount=money_ask.amount,
        # The pseudonym, never the name: every member reads the ledger.
        memo=money_ask.pseudonym,
        by=by,
        at=at,
        proposal=proposal,
    )
    money_ask.status = MoneyAskStatus.PAID
    money_ask.decided_at = at
    money_ask.save(update_fields=["transfer", "status", "decided_at"])
    announce(ResourceEvent.MONEY_PAID, group_id=money_ask.group_id, object_id=money_ask.pk)


@transaction.atomic
def pay_money_ask(
    *, group: Group, money_ask_id: int, by: User, now: datetime | None = None
) -> MoneyAsk:
    """A treasurer pays a waiting money ask within the group's limit per member."""
    money_ask = _locked(group, money_ask_id)
    _require_treasurer(by, money_ask)
    if money_ask.asker_id == by.pk:
        raise NotAllowed(
            _(
                "A treasurer does not pay their own money ask: another treasurer or the group "
                "decides it."
            )
        )
    if money_ask.status != MoneyAskStatus.WAITING:
        raise Conflict(
            _("This money ask is %(status)s.") % {"status": money_ask.get_status_display()}
        )
    now = now or timezone.now()
    limit = governance_selectors.group_settings(group).money_ask_limit
    # The ledger lock serialises payments, so two treasurers cannot both fit under it.
    lock_ledger(group)
    if paid_recently(group, money_ask.asker_id, now=now) + money_ask.amount > limit:
        raise Conflict(
            _(
                "This is over what the group lets a treasurer pay one member in 30 days "
                "(%(limit)s). Put it to the group instead."
            )
            % {"limit": money.format_amount(limit, lock_ledger(group).currency)},
            field="amount",
        )
    _pay(money_ask, by=by, at=now, proposal=None)
    return money_ask


@transaction.atomic
def decline_money_ask(
    *, group: Group, money_ask_id: int, by: User, now: datetime | None = None
) -> MoneyAsk:
    """A treasurer says no to a waiting money ask, or closes one the group did not pass."""
    money_ask = _locked(group, money_ask_id)
    _require_treasurer(by, money_ask)
    undecided = money_ask.status == MoneyAskStatus.PROPOSED and not (
        money_ask.proposal is not None and money_ask.proposal.is_open
    )
    if money_ask.status != MoneyAskStatus.WAITING and not undecided:
        raise Conflict(
            _("This money ask is %(status)s.") % {"status": money_ask.get_status_display()}
        )
    money_ask.status = MoneyAskStatus.DECLINED
    money_ask.decided_at = now or timezone.now()
    money_ask.save(update_fields=["status", "decided_at"])
    announce(ResourceEvent.MONEY_DECLINED, group_id=group.pk, object_id=money_ask.pk)
    return money_ask


@transaction.atomic
def withdraw_money_ask(*, group: Group, money_ask_id: int, by: User) -> MoneyAsk:
    """The asker takes back a money ask that is not paid yet."""
    money_ask = _locked(group, money_ask_id)
    if money_ask.asker_id != by.pk:
        raise NotAllowed(_("Only the member who asked can withdraw a money ask."))
    if money_ask.status not in (MoneyAskStatus.WAITING, MoneyAskStatus.PROPOSED):
        raise Conflict(
            _("This money ask is %(status)s.") % {"status": money_ask.get_status_display()}
        )
    money_ask.status = MoneyAskStatus.WITHDRAWN
    money_ask.save(update_fields=["status"])
    return money_ask


@transaction.atomic
def propose_payment(
    *, group: Group, money_ask_id: int, by: User, days: int = PROPOSAL_DAYS
) -> Proposal:
    """A treasurer puts a waiting money ask to the group. The proposal names the ask by its
    pseudonym and amount only; the treasurer is its author, so who asked stays private."""
    money_ask = _locked(group, money_ask_id)
    _require_treasurer(by, money_ask)
    if money_ask.status != MoneyAskStatus.WAITING:
        raise Conflict(
            _("This money ask is %(status)s.") % {"status": money_ask.get_status_display()}
        )
    amount = money.format_amount(money_ask.amount, lock_ledger(group).currency)
    proposal = governance_services.open_proposal(
        group=group,
        author=by,
        kind=ProposalKind.SPEND,
        title=_("Pay %(amount)s to the money ask %(pseudonym)s")
        % {"amount": amount, "pseudonym": money_ask.pseudonym},
        text=_(
            "A member asked the group's funds for %(amount)s. The treasurer puts it to the "
            "group: if this passes, the ledger pays it. Who asked stays private to the "
            "treasurer."
        )
        % {"amount": amount},
        days=days,
        external=True,
    )
    money_ask.status = MoneyAskStatus.PROPOSED
    money_ask.proposal = proposal
    money_ask.save(update_fields=["status", "proposal"])
    return proposal


def pay_by_decision(proposal: Proposal, now: datetime) -> None:
    """The effect of a passed spend proposal: pay its money ask (governance runs this in
    the transaction that closes the proposal)."""
    money_ask = (
        MoneyAsk.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(proposal=proposal)
        .first()
    )
    if money_ask is None or money_ask.status != MoneyAskStatus.PROPOSED:
        raise EffectRefused(_("the money ask was withdrawn or settled before the decision"))
    try:
        _pay(money_ask, by=None, at=now, proposal=proposal)
    except Conflict:
        raise EffectRefused(_("the group's funds were short of the amount")) from None


def forget_person(user: User) -> None:
    """On erasure: the reasons they gave go; the amounts stay under their pseudonyms, so the
    ledger still adds up."""
    MoneyAsk.objects.filter(asker=user).update(reason="")
