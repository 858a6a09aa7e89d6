"""Reads of the ledger and money asks. Permission-checked fetches raise NotAllowed/NotFound."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from mutua.core.errors import NotAllowed, NotFound
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources import money, policy
from mutua.resources.models import Account, Entry, Ledger, MoneyAsk, Transfer


def require_member(viewer: User | None, group: Group) -> None:
    if not policy.may_see(viewer, group):
        raise NotAllowed(
            _("Only members of %(group)s see what it holds. Joining is one click.")
            % {"group": group.name}
        )


@dataclass(frozen=True)
class Funds:
    currency: str
    balance: int

    @property
    def display(self) -> str:
        return money.format_amount(self.balance, self.currency)


def funds(group: Group) -> Funds:
    ledger = Ledger.objects.filter(group=group).first()
    if ledger is None:
        return Funds(currency=settings.MUTUA_CURRENCY, balance=0)
    return Funds(currency=ledger.currency, balance=ledger.balance)


def sum_of_funds_entries(group: Group) -> int:
    """The balance worked out from the entries themselves (what `Ledger.balance` keeps)."""
    total = Entry.objects.filter(group=group, account=Account.FUNDS).aggregate(t=Sum("amount"))
    return int(total["t"] or 0)


def transfers(group: Group) -> QuerySet[Transfer]:
    """The group's transfers, newest first, with what a page shows of each in one query."""
    return (
        Transfer.objects.filter(group=group)
        .select_related("recorded_by__profile", "reverses", "reversal", "proposal")
        .order_by("-recorded_at", "-pk")
    )


def transfer_for_receipt(viewer: User | None, group: Group, transfer_id: int) -> Transfer:
    require_member(viewer, group)
    found = Transfer.objects.filter(group=group, pk=transfer_id).exclude(receipt="").first()
    if found is None:
        raise NotFound("receipt")
    return found


@dataclass(frozen=True)
class MoneyAskView:
    """A money ask as one viewer may see it: the asker and reason only for the asker and
    the treasurer."""

    money_ask: MoneyAsk
    asker_name: str | None
    reason: str | None
    mine: bool


def money_asks(viewer: User | None, group: Group) -> list[MoneyAskView]:
    require_member(viewer, group)
    treasurer = policy.is_treasurer(viewer, group)
    rows = MoneyAsk.objects.filter(group=group).select_related("asker__profile", "proposal")
    views = []
    for row in rows:
        mine = viewer is not None and row.asker_id == viewer.pk
        shown = mine or treasurer
        views.append(
            MoneyAskView(
                money_ask=row,
                asker_name=row.asker.display_name if shown else None,
                reason=row.reason if shown else None,
                mine=mine,
            )
        )
    return views


LEDGER_COLUMNS = [
    "id",
    "recorded_at",
    "kind",
    "category",
    "memo",
    "amount",
    "funds_change",
    "balance",
    "currency",
    "recorded_by",
    "proposal",
    "reverses",
    "receipt",
]


def ledger_rows(group: Group) -> list[dict[str, object]]:
    """Every transfer, oldest first, with the running balance after it: what members see
    on the page, as plain values (a payment names its money ask's pseudonym only)."""
    currency = funds(group).currency
    rows: list[dict[str, object]] = []
    balance = 0
    for t in transfers(group).order_by("recorded_at", "pk").iterator(chunk_size=2000):
        balance += t.funds_change
        rows.append(
            {
                "id": t.pk,
                "recorded_at": t.recorded_at,
                "kind": t.kind,
                "category": t.category,
                "memo": t.memo,
                "amount": t.amount,
                "funds_change": t.funds_change,
                "balance": balance,
                "currency": currency,
                "recorded_by": (
                    t.recorded_by.display_name if t.recorded_by and not t.proposal_id else ""
                ),
                "proposal": t.proposal_id,
                "reverses": t.reverses_id,
                "receipt": bool(t.receipt),
            }
        )
    return rows
