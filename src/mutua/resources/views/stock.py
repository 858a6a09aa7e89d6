"""Hubs and stock: the page of every hub's levels and the latest movements, and the forms
to open a hub, name an item and record stock in or out (for an ask, too)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug
from mutua.people.models import User
from mutua.resources import policy
from mutua.resources.forms import HubForm, MovementForm, StockItemForm
from mutua.resources.selectors import stock as stock_selectors
from mutua.resources.services import stock as stock_services
from mutua.resources.views._common import members_only


def _movement_form(group: Group, data: Any = None) -> MovementForm:
    return MovementForm(
        data, hubs=stock_selectors.hubs_of(group), items=stock_selectors.items_of(group)
    )


def _render(
    request: HttpRequest,
    group: Group,
    viewer: User,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms_by_name: dict[str, forms.Form] = {
        "hub": HubForm(auto_id="hub_%s"),
        "item": StockItemForm(initial={"low_at": 0}, auto_id="item_%s"),
        "movement": _movement_form(group),
        **(bound or {}),
    }
    context = {
        "group": group,
        "hubs": stock_selectors.stock(viewer, group),
        "movements": stock_selectors.movements(viewer, group),
        "may_keep": policy.may_keep_stock(viewer, group),
        **{f"{name}_form": form for name, form in forms_by_name.items()},
    }
    return render(request, "resources/stock.html", context, status=status)


def _save(group: Group, viewer: User, which: str, data: Any) -> forms.Form:
    """Validate and save one of the page's forms; the form, with any refusal attached."""
    form: forms.Form
    if which == "hub":
        form = HubForm(data, auto_id="hub_%s")
        if form.is_valid():
            _call(form, stock_services.create_hub, group=group, by=viewer, **form.cleaned_data)
    elif which == "item":
        form = StockItemForm(data, auto_id="item_%s")
        if form.is_valid():
            _call(form, stock_services.create_item, group=group, by=viewer, **form.cleaned_data)
    else:
        form = _movement_form(group, data)
        if form.is_valid():
            _call(form, stock_services.record_movement, group=group, by=viewer, **form.cleaned_data)
    return form


def _call(form: forms.Form, service: Any, **kwargs: Any) -> None:
    try:
        service(**kwargs)
    except DomainError as exc:
        attach_domain_error(form, exc)


@require_http_methods(["GET", "POST"])
def stock(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: hubs, levels and movements. POST: one of the page's three forms (`form`)."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    if request.method == "GET":
        return _render(request, group, viewer)
    which = request.POST.get("form", "movement")
    if which not in ("hub", "item", "movement"):
        which = "movement"
    form = _save(group, viewer, which, request.POST)
    if form.is_valid():
        messages.success(request, _("Recorded."))
        return redirect(reverse("resources:stock", args=[group.slug]))
    return _render(request, group, viewer, bound={which: form}, status=400)
