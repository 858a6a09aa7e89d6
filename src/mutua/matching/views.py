"""Pages for dispatch: running it for a group and seeing the result, and a helper's
suggestions with Accept and Decline. Plain forms, POST-redirect-GET, no JavaScript needed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mutua.core.errors import DomainError
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug, is_member
from mutua.matching import selectors, services
from mutua.people.web import signed_in

_RECENT_RUNS = 20


def _not_dispatcher(request: HttpRequest, group: Group) -> HttpResponse:
    viewer = signed_in(request)
    context = {
        "group": group,
        "is_member": viewer is not None and is_member(group=group, user=viewer),
        "nobody_holds": selectors.nobody_dispatches(group),
    }
    return render(request, "matching/not_dispatcher.html", context, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def dispatch(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = signed_in(request)
    if not selectors.may_dispatch(group=group, user=viewer):
        return _not_dispatcher(request, group)
    if request.method == "POST":
        try:
            groups = selectors.dispatchable_by(
                viewer, selectors.groups_for_dispatch(network_slug=group.slug)
            )
            run = services.run_dispatch(groups=groups, actor=viewer)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("matching:dispatch", slug=group.slug)
        messages.success(
            request,
            _("Dispatch ran: %(proposed)d proposed, %(unmatched)d could not be matched.")
            % {"proposed": run.proposed, "unmatched": sum(run.unmatched.values())},
        )
        return redirect("matching:run_detail", slug=group.slug, run_id=run.pk)
    context = {
        "group": group,
        "runs": selectors.runs_of(group)[:_RECENT_RUNS],
        "schedule": selectors.round_schedule(group),
        "rounds": selectors.rounds_of(group)[:_RECENT_RUNS],
    }
    return render(request, "matching/dispatch.html", context)


@login_required
def run_detail(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    group = group_by_slug(slug)
    if not selectors.may_dispatch(group=group, user=signed_in(request)):
        return _not_dispatcher(request, group)
    run = selectors.get_run(group=group, run_id=run_id)
    rows = selectors.RUN_PAGE_ROWS
    context = {
        "group": group,
        "run": run,
        "summary": selectors.run_summary(run),
        "suggestions": selectors.run_suggestions(run)[:rows],
        "unmatched": selectors.run_unmatched(run)[:rows],
        "unmatched_total": sum(run.unmatched.values()),
        "rows": rows,
    }
    return render(request, "matching/run_detail.html", context)


@never_cache
@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    viewer = signed_in(request)
    assert viewer is not None  # login_required
    context = {"suggestions": selectors.suggestions_for(viewer)}
    return render(request, "matching/suggestions.html", context)


@require_POST
def suggestion_accept(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    back = reverse("matching:suggestions")
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(back)
    suggestion = selectors.get_suggestion(suggestion_id)
    try:
        services.accept_suggestion(suggestion=suggestion, helper=viewer)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("It is yours. The address and how to reach the person are below."))
    return redirect("aid:ask_detail", ask_id=suggestion.ask_id)


@require_POST
def suggestion_decline(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    back = reverse("matching:suggestions")
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(back)
    suggestion = selectors.get_suggestion(suggestion_id)
    try:
        services.decline_suggestion(suggestion=suggestion, helper=viewer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for saying. The ask goes back to the group."))
    return redirect(back)
