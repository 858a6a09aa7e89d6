"""The open ledger page: the balance and every entry for members; recording money,
reversals, receipts, and money asks."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug
from mutua.people.models import User
from mutua.resources import money, policy, selectors
from mutua.resources.forms import MoneyAskForm, TransferForm
from mutua.resources.services import ledger as ledger_services
from mutua.resources.services import money_asks as money_ask_services
from mutua.resources.views._common import members_only

PAGE_SIZE = 50
MONEY_ASK_ACTIONS = ("pay", "decline", "propose", "withdraw")


def _page(group: Group) -> str:
    return reverse("resources:ledger", args=[group.slug])


def _render(
    request: HttpRequest,
    group: Group,
    viewer: User,
    *,
    transfer_form: TransferForm | None = None,
    ask_form: MoneyAskForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = Paginator(selectors.transfers(group), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "group": group,
        "funds": selectors.funds(group),
        "page": page,
        "may_record": policy.may_record_money(viewer, group),
        "is_treasurer": policy.is_treasurer(viewer, group),
        "transfer_form": transfer_form or TransferForm(),
        "ask_form": ask_form or MoneyAskForm(),
        "money_asks": selectors.money_asks(viewer, group),
    }
    return render(request, "resources/ledger.html", context, status=status)


@require_http_methods(["GET", "POST"])
def ledger(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the ledger. POST: record money in or out (with a receipt)."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    if request.method == "GET":
        return _render(request, group, viewer)
    form = TransferForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            amount = money.parse_amount(data["amount"], selectors.funds(group).currency)
            ledger_services.record_transfer(
                group=group,
                by=viewer,
                kind=data["kind"],
                amount=amount,
                memo=data["memo"],
                category=data["category"],
                receipt=data["receipt"],
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("Recorded in the ledger."))
            return redirect(_page(group))
    return _render(request, group, viewer, transfer_form=form, status=400)


@require_POST
def reverse_transfer(request: HttpRequest, slug: str, transfer_id: int) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    try:
        ledger_services.reverse_transfer(group=group, transfer_id=transfer_id, by=viewer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reversed: the opposite entry is in the ledger."))
    return redirect(_page(group))


@require_GET
def receipt(request: HttpRequest, slug: str, transfer_id: int) -> HttpResponseBase:
    """A transfer's receipt, for members only (never a public file)."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    transfer = selectors.transfer_for_receipt(viewer, group, transfer_id)
    name = transfer.receipt.name.rsplit("/", 1)[-1]
    return FileResponse(transfer.receipt.open("rb"), filename=name)


@require_POST
def money_ask_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    form = MoneyAskForm(request.POST)
    if form.is_valid():
        try:
            amount = money.parse_amount(
                form.cleaned_data["amount"], selectors.funds(group).currency
            )
            money_ask = money_ask_services.ask_for_money(
                group=group, asker=viewer, amount=amount, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Asked. Members see it as %(pseudonym)s; only the treasurer sees it is you.")
                % {"pseudonym": money_ask.pseudonym},
            )
            return redirect(_page(group))
    return _render(request, group, viewer, ask_form=form, status=400)


@require_POST
def money_ask_action(
    request: HttpRequest, slug: str, money_ask_id: int, action: str
) -> HttpResponse:
    """Pay, decline, put to the group, or withdraw a money ask."""
    if action not in MONEY_ASK_ACTIONS:
        raise Http404(action)
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    try:
        if action == "pay":
            money_ask_services.pay_money_ask(group=group, money_ask_id=money_ask_id, by=viewer)
            done = _("Paid, and recorded in the ledger.")
        elif action == "decline":
            money_ask_services.decline_money_ask(group=group, money_ask_id=money_ask_id, by=viewer)
            done = _("Declined.")
        elif action == "propose":
            proposal = money_ask_services.propose_payment(
                group=group, money_ask_id=money_ask_id, by=viewer
            )
            messages.success(request, _("Put to the group as a proposal."))
            return redirect("governance:proposal_detail", group.slug, proposal.pk)
        else:
            money_ask_services.withdraw_money_ask(group=group, money_ask_id=money_ask_id, by=viewer)
            done = _("Withdrawn.")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_page(group))
