"""Shifts: the rota page, signing up and dropping out, and the calendar feeds (the
group's, public and without names; each member's, private by a secret address)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug
from mutua.people.models import User
from mutua.people.web import signed_in
from mutua.resources import ics
from mutua.resources.forms import ShiftDayForm, ShiftForm
from mutua.resources.selectors import gatherings as gathering_selectors
from mutua.resources.selectors import shifts as shift_selectors
from mutua.resources.services import shifts as shift_services
from mutua.resources.views._common import members_only

CALENDAR = "text/calendar; charset=utf-8"


def _page(group: Group) -> str:
    return reverse("resources:shifts", args=[group.slug])


def _render(
    request: HttpRequest, group: Group, viewer: User, form: ShiftForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "group": group,
        "rota": shift_selectors.rota(viewer, group),
        "form": form,
        "feed_url": request.build_absolute_uri(reverse("resources:shifts_ics", args=[group.slug])),
    }
    return render(request, "resources/shifts.html", context, status=status)


@require_http_methods(["GET", "POST"])
def shifts(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the next two weeks of the group's shifts. POST: start a new shift."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    if request.method == "GET":
        return _render(request, group, viewer, ShiftForm(initial={"slots": 2}))
    form = ShiftForm(request.POST)
    if form.is_valid():
        try:
            shift_services.create_shift(group=group, by=viewer, **form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The shift is on the rota."))
            return redirect(_page(group))
    return _render(request, group, viewer, form, status=400)


@require_POST
def shift_day(request: HttpRequest, slug: str, shift_id: int, action: str) -> HttpResponse:
    """Sign up for one day of a shift, or drop out of it."""
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    form = ShiftDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a day of the shift."))
        return redirect(_page(group))
    day = form.cleaned_data["day"]
    try:
        if action == "signup":
            shift_services.sign_up(group=group, shift_id=shift_id, day=day, member=viewer)
            messages.success(request, _("You are down for it. Thank you!"))
        else:
            shift_services.drop_out(group=group, shift_id=shift_id, day=day, member=viewer)
            messages.success(request, _("You are off that shift; the slot is free again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_page(group))


@require_GET
def group_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's shifts as a calendar feed: public, like its agreements, with counts and
    never names, so anyone can subscribe and see when help is needed."""
    group = group_by_slug(slug)
    body = ics.calendar(
        _("Shifts · %(group)s") % {"group": group.name}, shift_selectors.group_feed(group)
    )
    return HttpResponse(body, content_type=CALENDAR)


@require_GET
def member_calendar(request: HttpRequest, key: str) -> HttpResponse:
    """A member's shifts and the gatherings they are going to, at their private address
    (calendar apps cannot log in)."""
    member = shift_selectors.feed_member(shift_services.feed_hash(key))
    today = timezone.now()
    going = gathering_selectors.going_to(
        member, since=today - shift_selectors.FEED_PAST, until=today + shift_selectors.FEED_AHEAD
    )
    body = ics.calendar(
        _("My shifts"), shift_selectors.member_feed(member), personal=True, gatherings=going
    )
    response = HttpResponse(body, content_type=CALENDAR)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The member's private calendar address: make a new one (the old stops) or stop it.
    The secret is shown once, when it is made; only its hash is kept."""
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            shift_services.revoke_calendar_feed(member=viewer)
            messages.success(request, _("Your calendar address no longer works."))
            return redirect("resources:my_calendar")
        key = shift_services.new_calendar_feed(member=viewer)
        url = request.build_absolute_uri(reverse("resources:member_calendar", args=[key]))
    context = {"url": url, "has_feed": shift_selectors.has_feed(viewer)}
    return render(request, "resources/my_calendar.html", context)
