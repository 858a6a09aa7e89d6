"""Callouts: the page of a group's callouts, sending one, answering coming or not,
closing one early, and the live count that HTMX refreshes (a plain reload does the same
without JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug
from mutua.people.models import User
from mutua.resources import policy
from mutua.resources.forms import CalloutForm
from mutua.resources.models import AnsweredVia
from mutua.resources.selectors import callouts as callout_selectors
from mutua.resources.services import callouts as callout_services
from mutua.resources.views._common import members_only

# Seconds between refreshes of the counts (HTMX), and of the whole page without it.
POLL_SECONDS = 10
RELOAD_SECONDS = 30


def _page(group: Group) -> str:
    return reverse("resources:callouts", args=[group.slug])


def _render(
    request: HttpRequest, group: Group, viewer: User, form: CalloutForm, *, status: int = 200
) -> HttpResponse:
    items = callout_selectors.callouts(viewer, group)
    context = {
        "group": group,
        "items": items,
        "any_open": any(i.callout.is_open for i in items),
        "may_send": policy.may_send_callout(viewer, group),
        "may_close": policy.closable_callouts(viewer, group, [i.callout for i in items]),
        "form": form,
        "poll_seconds": POLL_SECONDS,
        "reload_seconds": RELOAD_SECONDS,
    }
    return render(request, "resources/callouts.html", context, status=status)


@require_http_methods(["GET", "POST"])
def callouts(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the group's open callouts and the last closed ones. POST: send a callout."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    if request.method == "GET":
        return _render(request, group, viewer, CalloutForm(initial={"radius_km": 2}))
    form = CalloutForm(request.POST)
    if form.is_valid():
        try:
            callout_services.send_callout(group=group, by=viewer, **form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The callout is on its way to the members near it."))
            return redirect(_page(group))
    return _render(request, group, viewer, form, status=400)


@require_POST
def answer(request: HttpRequest, slug: str, callout_id: int) -> HttpResponse:
    """Coming, or not: a button of the page."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    choice = request.POST.get("answer")
    if choice not in ("coming", "cant"):
        messages.error(request, _("Say whether you are coming."))
        return redirect(_page(group))
    try:
        callout_services.answer_callout(
            group=group,
            callout_id=callout_id,
            member=viewer,
            coming=choice == "coming",
            via=AnsweredVia.PAGE,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: the others now know."))
    return redirect(f"{_page(group)}#callout-{callout_id}")


@require_POST
def close(request: HttpRequest, slug: str, callout_id: int) -> HttpResponse:
    """Close a callout before its end, with the reason its caller gives."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    try:
        callout_services.close_callout(
            group=group,
            callout_id=callout_id,
            by=viewer,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The callout is closed; those coming are being told."))
    return redirect(f"{_page(group)}#callout-{callout_id}")


@require_GET
def count(request: HttpRequest, slug: str, callout_id: int) -> HttpResponse:
    """The counts of one callout, the fragment HTMX swaps in every few seconds."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    item = callout_selectors.callout(viewer, group, callout_id)
    context = {"group": group, "item": item, "poll_seconds": POLL_SECONDS}
    return render(request, "resources/_callout_count.html", context)
