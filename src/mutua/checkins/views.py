"""The check-in rota page of a group, /groups/<slug>/checkins/: plain forms, each posting
to one action and coming back (POST-redirect-GET)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mutua.checkins import selectors, services
from mutua.checkins.forms import SIGN_UP_FIELDS, CallForm, SignUpForm
from mutua.core.errors import DomainError, InvalidInput
from mutua.core.forms import attach_domain_error
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug, is_member
from mutua.people.models import User
from mutua.people.web import signed_in


def _member(request: HttpRequest, slug: str) -> tuple[Group, User | None]:
    group = group_by_slug(slug)
    user = signed_in(request)
    return group, user if user is not None and is_member(group=group, user=user) else None


def _page(
    request: HttpRequest,
    group: Group,
    user: User,
    *,
    sign_up: SignUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    week = services.week_of(timezone.localdate())
    rota = selectors.rota_page(group=group, user=user, week=week)
    if rota.mine:
        services.record_numbers_shown(viewer=user, assignments=rota.mine, channel="web")
    context = {
        "group": group,
        "week": week,
        "rota": rota,
        "sign_up": sign_up or SignUpForm(initial={"language": _language(user)}),
        "call_form": CallForm(),
    }
    return render(request, "checkins/rota.html", context, status=status)


def _language(user: User) -> str:
    profile = getattr(user, "profile", None)
    return str(profile.languages[0]) if profile is not None and profile.languages else ""


def _not_member(request: HttpRequest, group: Group) -> HttpResponse:
    return render(request, "checkins/not_member.html", {"group": group}, status=403)


@login_required
@never_cache
@require_GET
def rota(request: HttpRequest, slug: str) -> HttpResponse:
    group, member = _member(request, slug)
    if member is None:
        return _not_member(request, group)
    return _page(request, group, member)


@login_required
@require_POST
def sign_up(request: HttpRequest, slug: str) -> HttpResponse:
    group, member = _member(request, slug)
    if member is None:
        return _not_member(request, group)
    form = SignUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_up(
                group=group,
                by=member,
                name=data["name"],
                phone=data["phone"],
                language=data["language"],
                lat=data["point"][0],
                lon=data["point"][1],
                address=data["address"],
                consent=data["consent"],
                for_self=not data["on_behalf"],
            )
        except DomainError as exc:
            attach_domain_error(form, exc, SIGN_UP_FIELDS)
        else:
            messages.success(request, _("Signed up: a caller will ring every week."))
            return redirect("checkins:rota", slug=group.slug)
    return _page(request, group, member, sign_up=form, status=400)


def _act(
    request: HttpRequest, slug: str, act: Callable[[Group, User], object], done: str
) -> HttpResponse:
    group, member = _member(request, slug)
    if member is None:
        return _not_member(request, group)
    try:
        act(group, member)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(reverse("checkins:rota", args=[group.slug]))


@login_required
@require_POST
def stop(request: HttpRequest, slug: str) -> HttpResponse:
    def act(group: Group, member: User) -> object:
        own = selectors.get_own_sign_up(group=group, user=member)
        return services.stop_calls(callee=own, by=member)

    return _act(request, slug, act, _("The weekly calls are stopped."))


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        lambda group, member: services.join_rota(group=group, member=member),
        _("You are on the rota of callers."),
    )


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        lambda group, member: services.leave_rota(group=group, member=member),
        _("You are off the rota."),
    )


@login_required
@require_POST
def assign(request: HttpRequest, slug: str) -> HttpResponse:
    def act(group: Group, member: User) -> object:
        week = services.week_of(timezone.localdate())
        return services.assign_week(group=group, week=week, by=member)

    return _act(request, slug, act, _("This week's calls are assigned."))


@login_required
@require_POST
def log_call(request: HttpRequest, slug: str, assignment_id: int) -> HttpResponse:
    form = CallForm(request.POST)

    def act(group: Group, member: User) -> object:
        if not form.is_valid():
            raise InvalidInput(_("Say how the call went."), field="outcome")
        assignment = selectors.get_assignment(group=group, assignment_id=assignment_id)
        return services.log_call(
            assignment=assignment,
            by=member,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )

    return _act(request, slug, act, _("The call is logged. Thank you."))
