"""The lending library page: what there is, who has it now (members only), adding a
thing, borrowing, returning and withdrawing it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug
from mutua.people.models import User
from mutua.resources import policy
from mutua.resources.forms import BorrowForm, ThingForm
from mutua.resources.selectors import stock as stock_selectors
from mutua.resources.selectors import things as thing_selectors
from mutua.resources.services import things as thing_services
from mutua.resources.views._common import members_only

ACTIONS = ("borrow", "return", "withdraw")


def _page(group: Group) -> str:
    return reverse("resources:things", args=[group.slug])


def _thing_form(group: Group, viewer: User, data: object = None) -> ThingForm:
    # Only stock keepers add a hub's things, so only they are offered the hubs.
    hubs = stock_selectors.hubs_of(group) if policy.may_keep_stock(viewer, group) else []
    return ThingForm(data, hubs=hubs)


def _render(
    request: HttpRequest, group: Group, viewer: User, form: ThingForm, *, status: int = 200
) -> HttpResponse:
    keeper = policy.may_keep_stock(viewer, group)
    context = {
        "group": group,
        "things": thing_selectors.library(viewer, group, keeper=keeper),
        "form": form,
        "due_back": thing_selectors.due_back(),
        "viewer": viewer,
    }
    return render(request, "resources/things.html", context, status=status)


@require_http_methods(["GET", "POST"])
def things(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the library. POST: add a thing to it."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    if request.method == "GET":
        return _render(request, group, viewer, _thing_form(group, viewer))
    form = _thing_form(group, viewer, request.POST)
    if form.is_valid():
        try:
            thing_services.add_thing(group=group, by=viewer, **form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("It is in the library. Thank you for lending it!"))
            return redirect(_page(group))
    return _render(request, group, viewer, form, status=400)


@require_POST
def thing_action(request: HttpRequest, slug: str, thing_id: int, action: str) -> HttpResponse:
    """Borrow a thing until a date, say it is back, or take it out of the library."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    if action not in ACTIONS:
        return redirect(_page(group))
    try:
        if action == "borrow":
            form = BorrowForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose the day you will bring it back."))
                return redirect(_page(group))
            due_on = form.cleaned_data["due_on"]
            thing_services.borrow(group=group, thing_id=thing_id, member=viewer, due_on=due_on)
            messages.success(request, _("It is yours until the day you chose."))
        elif action == "return":
            thing_services.return_thing(group=group, thing_id=thing_id, by=viewer)
            messages.success(request, _("It is back in the library."))
        else:
            thing_services.withdraw_thing(group=group, thing_id=thing_id, by=viewer)
            messages.success(request, _("It is out of the library."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_page(group))
