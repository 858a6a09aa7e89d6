"""Gatherings: the page of meetings to come, calling one, answering (RSVP), and one
gathering as a calendar file."""

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
from mutua.resources import ics
from mutua.resources.forms import GatheringForm
from mutua.resources.selectors import gatherings as gathering_selectors
from mutua.resources.services import gatherings as gathering_services
from mutua.resources.views._common import members_only


def _page(group: Group) -> str:
    return reverse("resources:gatherings", args=[group.slug])


def _render(
    request: HttpRequest, group: Group, viewer: User, form: GatheringForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "group": group,
        "items": gathering_selectors.gatherings(viewer, group),
        "form": form,
    }
    return render(request, "resources/gatherings.html", context, status=status)


@require_http_methods(["GET", "POST"])
def gatherings(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: gatherings to come (and the last month's). POST: call one."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    if request.method == "GET":
        return _render(request, group, viewer, GatheringForm())
    form = GatheringForm(request.POST)
    if form.is_valid():
        try:
            gathering_services.create_gathering(group=group, by=viewer, **form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The gathering is on the group's calendar."))
            return redirect(_page(group))
    return _render(request, group, viewer, form, status=400)


@require_POST
def rsvp(request: HttpRequest, slug: str, gathering_id: int) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    going = request.POST.get("going")
    if going not in ("yes", "no"):
        messages.error(request, _("Say whether you are coming."))
        return redirect(_page(group))
    try:
        gathering_services.answer(
            group=group, gathering_id=gathering_id, member=viewer, going=going == "yes"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for saying."))
    return redirect(f"{_page(group)}#gathering-{gathering_id}")


@require_GET
def gathering_calendar(request: HttpRequest, slug: str, gathering_id: int) -> HttpResponse:
    """One gathering as a calendar file, for members to add to their own calendar."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    item = gathering_selectors.gathering(viewer, group, gathering_id)
    body = ics.calendar(item.gathering.title, [], gatherings=[item.gathering])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gathering-{gathering_id}.ics"'
    return response
