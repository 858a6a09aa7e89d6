"""Pages for a person's privacy (who saw their data, download, erase), reports to the
safeguarding role, and blocks. Thin: the rules live in services and policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, Offer
from mutua.aid.taking import paused_members
from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.core.web import safe_next
from mutua.groups.selectors import group_by_slug
from mutua.people.models import User
from mutua.people.web import signed_in
from mutua.privacy import policy, selectors, services
from mutua.privacy.forms import EraseForm, ReportForm
from mutua.privacy.models import Report


def _viewer(request: HttpRequest) -> User:
    viewer = signed_in(request)
    assert viewer is not None  # login_required
    return viewer


@login_required
@never_cache
def my_privacy(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    context = {
        "views": selectors.views_of_my_asks(viewer),
        "blocks": selectors.blocks_of(viewer),
    }
    return render(request, "privacy/me.html", context)


@login_required
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        services.export_person(user=_viewer(request)), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mutua-my-data.json"'
    return response


@login_required
@never_cache
@sensitive_post_parameters("confirm_email")
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    status = 200
    if request.method == "POST":
        form = EraseForm(request.POST)
        if form.is_valid():
            try:
                services.erase_account(
                    user=viewer, confirm_email=form.cleaned_data["confirm_email"]
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                logout(request)
                messages.success(request, _("Your account and your details are erased."))
                return redirect("/")
        status = 400
    else:
        form = EraseForm()
    return render(request, "privacy/erase.html", {"form": form}, status=status)


def _subject(kind: str, pk: int) -> dict[str, Ask | Offer | User]:
    if kind == Report.Kind.ASK:
        return {"ask": get_object_or_404(Ask, pk=pk)}
    if kind == Report.Kind.OFFER:
        return {"offer": get_object_or_404(Offer, pk=pk)}
    if kind == Report.Kind.MEMBER:
        return {"member": get_object_or_404(User, pk=pk)}
    raise Http404(kind)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = _subject(kind, pk)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                reporter = signed_in(request)
                services.report(reporter=reporter, why=form.cleaned_data["why"], **subject)  # type: ignore[arg-type]
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Thank you. The group's safeguarding volunteers will read it.")
                )
                return redirect(safe_next(request, "/"))
        status = 400
    else:
        form = ReportForm()
    context = {"form": form, "kind": kind, "pk": pk, "next": safe_next(request, "/")}
    return render(request, "privacy/report.html", context, status=status)


def _block_action(request: HttpRequest, user_id: int, *, blocking: bool) -> HttpResponse:
    back = safe_next(request, "/me/privacy/")
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(back)
    other = get_object_or_404(User, pk=user_id)
    try:
        if blocking:
            services.block(blocker=viewer, blocked=other)
            messages.success(request, _("Blocked. You will not be matched with each other."))
        else:
            services.unblock(blocker=viewer, blocked=other)
            messages.success(request, _("Unblocked."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@require_POST
def block(request: HttpRequest, user_id: int) -> HttpResponse:
    return _block_action(request, user_id, blocking=True)


@require_POST
def unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    return _block_action(request, user_id, blocking=False)


@login_required
@never_cache
def group_reports(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    if not policy.may_read_reports(signed_in(request), group):
        raise PermissionDenied(_("Only the group's safeguarding role reads reports."))
    context = {
        "group": group,
        "reports": selectors.reports_for(group),
        "paused": paused_members(group),
    }
    return render(request, "privacy/reports.html", context)


@require_POST
def restore_claiming(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """A safeguarding volunteer lets a member whose claiming was paused take asks again."""
    group = group_by_slug(slug)
    back = reverse("privacy:group_reports", args=[group.slug])
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(back)
    person = get_object_or_404(User, pk=user_id)
    try:
        aid_services.restore_claiming(group=group, member=person, by=viewer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s can take asks again.") % {"name": person.display_name}
        )
    return redirect(back)
