"""The ledger API: a group's ledger and money asks, for its members."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from mutua.core.pagination import paginate
from mutua.core.schemas import TOKEN_ERRORS, PageQuery, errors
from mutua.groups.selectors import group_by_slug
from mutua.people.auth import bearer
from mutua.people.models import User
from mutua.resources import selectors
from mutua.resources.models import MoneyAsk, Transfer
from mutua.resources.schemas.ledger import (
    LedgerOut,
    MoneyAskIn,
    MoneyAskList,
    MoneyAskOut,
    TransferIn,
    TransferOut,
)
from mutua.resources.selectors import MoneyAskView
from mutua.resources.services import ledger as ledger_services
from mutua.resources.services import money_asks as money_ask_services

router = Router(tags=["ledger"])


def _transfer(t: Transfer) -> dict[str, Any]:
    reversal = getattr(t, "reversal", None)
    return {
        "id": t.pk,
        "kind": t.kind,
        "amount": t.amount,
        "funds_change": t.funds_change,
        "memo": t.memo,
        "category": t.category,
        "recorded_at": t.recorded_at,
        "recorded_by": t.recorded_by.display_name if t.recorded_by and not t.proposal_id else None,
        "proposal": t.proposal_id,
        "reverses": t.reverses_id,
        "reversed_by": reversal.pk if reversal is not None else None,
        "receipt": bool(t.receipt),
    }


def _money_ask(view: MoneyAskView) -> dict[str, Any]:
    ask = view.money_ask
    return {
        "id": ask.pk,
        "pseudonym": ask.pseudonym,
        "amount": ask.amount,
        "status": ask.status,
        "created_at": ask.created_at,
        "proposal": ask.proposal_id,
        "asker": view.asker_name,
        "reason": view.reason,
    }


@router.get(
    "/{slug:slug}/ledger",
    response={200: LedgerOut, **errors(400, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="A group's ledger",
)
def ledger(request: HttpRequest, slug: str, page: Query[PageQuery]) -> dict[str, Any]:
    """The balance and every transfer, newest first, for members. Payments to members who
    asked show the money ask's pseudonym, never a name."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    selectors.require_member(user, group)
    funds = selectors.funds(group)
    items, cursor = paginate(selectors.transfers(group), cursor=page.cursor, limit=page.limit)
    return {
        "currency": funds.currency,
        "balance": funds.balance,
        "items": [_transfer(t) for t in items],
        "next": cursor,
    }


@router.post(
    "/{slug:slug}/ledger/transfers",
    response={201: TransferOut, **errors(400, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Record money in or out",
)
def record(request: HttpRequest, slug: str, payload: TransferIn) -> Status[dict[str, Any]]:
    """The treasurer (or any member while nobody holds the role) records a donation, dues,
    a purchase... Money out never takes the funds below zero (409). Receipts are uploaded
    on the ledger page."""
    user: User = request.auth  # type: ignore[attr-defined]
    transfer = ledger_services.record_transfer(
        group=group_by_slug(slug),
        by=user,
        kind=payload.kind,
        amount=payload.amount,
        memo=payload.memo,
        category=payload.category,
    )
    return Status(201, _transfer(transfer))


@router.post(
    "/{slug:slug}/ledger/transfers/{transfer_id}/reverse",
    response={201: TransferOut, **errors(400, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Reverse a transfer",
)
def reverse(request: HttpRequest, slug: str, transfer_id: int) -> Status[dict[str, Any]]:
    """Records the opposite transfer; the original stays. Once per transfer (409 after)."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    reversal = ledger_services.reverse_transfer(group=group, transfer_id=transfer_id, by=user)
    return Status(201, _transfer(selectors.transfers(group).get(pk=reversal.pk)))


@router.get(
    "/{slug:slug}/money-asks",
    response={200: MoneyAskList, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="A group's money asks",
)
def money_asks(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Every money ask by pseudonym; who asked and why only for the asker and treasurer."""
    user: User = request.auth  # type: ignore[attr-defined]
    return {"items": [_money_ask(v) for v in selectors.money_asks(user, group_by_slug(slug))]}


@router.post(
    "/{slug:slug}/money-asks",
    response={201: MoneyAskOut, **errors(400, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Ask the group's funds for money",
)
def money_ask_new(request: HttpRequest, slug: str, payload: MoneyAskIn) -> Status[dict[str, Any]]:
    """A member asks for `amount` (smallest unit). Members see it under a pseudonym; the
    reason is for the treasurer only."""
    user: User = request.auth  # type: ignore[attr-defined]
    ask = money_ask_services.ask_for_money(
        group=group_by_slug(slug), asker=user, amount=payload.amount, reason=payload.reason
    )
    return Status(201, _money_ask(MoneyAskView(ask, user.display_name, ask.reason, mine=True)))


@router.post(
    "/{slug:slug}/money-asks/{money_ask_id}/{action}",
    response={200: MoneyAskOut, **errors(400, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Pay, decline, put to the group or withdraw a money ask",
)
def money_ask_action(
    request: HttpRequest,
    slug: str,
    money_ask_id: int,
    action: Literal["pay", "decline", "propose", "withdraw"],
) -> dict[str, Any]:
    """pay, decline and propose are the treasurer's (pay within the group's limit per
    member in 30 days, else 409: propose instead); withdraw is the asker's."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    if action == "pay":
        money_ask_services.pay_money_ask(group=group, money_ask_id=money_ask_id, by=user)
    elif action == "decline":
        money_ask_services.decline_money_ask(group=group, money_ask_id=money_ask_id, by=user)
    elif action == "propose":
        money_ask_services.propose_payment(group=group, money_ask_id=money_ask_id, by=user)
    else:
        money_ask_services.withdraw_money_ask(group=group, money_ask_id=money_ask_id, by=user)
    ask = MoneyAsk.objects.select_related("asker__profile").get(pk=money_ask_id)
    return _money_ask(MoneyAskView(ask, ask.asker.display_name, ask.reason, mine=True))
