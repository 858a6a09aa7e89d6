"""The leaflet page: print the group's leaflet, and (for members) edit its texts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutua.core.errors import DomainError, NotAllowed
from mutua.core.forms import attach_domain_error
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug, is_member
from mutua.outreach import selectors, services
from mutua.outreach.forms import LeafletEditForm, LeafletOptionsForm
from mutua.outreach.leaflet import PrintingUnavailable, Size, cached_leaflet_pdf
from mutua.people.web import signed_in


def public_base_url(request: HttpRequest) -> str:
    """Where the QR code sends people: the site's public address, else this request's."""
    return str(settings.MUTUA_PUBLIC_URL) or request.build_absolute_uri("/").rstrip("/")


def _edit_language(request: HttpRequest) -> str:
    wanted = request.GET.get("edit", "")
    return wanted if wanted in selectors.leaflet_languages() else request.LANGUAGE_CODE


def _edit_form(group: Group, language: str) -> LeafletEditForm:
    text = selectors.leaflet_text(group, language)
    return LeafletEditForm(
        initial={
            "language": language,
            "headline": text.headline,
            "message": text.message,
            "categories": text.categories,
        }
    )


def _page(
    request: HttpRequest,
    group: Group,
    *,
    options: LeafletOptionsForm | None = None,
    edit_form: LeafletEditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = signed_in(request)
    member = is_member(group=group, user=viewer)
    if member and edit_form is None:
        edit_form = _edit_form(group, _edit_language(request))
    context: dict[str, Any] = {
        "group": group,
        "options": options
        or LeafletOptionsForm(initial={"lang": [request.LANGUAGE_CODE], "size": Size.A4.value}),
        "is_member": member,
        "edit_form": edit_form if member else None,
        "history": selectors.leaflet_history(group) if member else [],
        "number": selectors.sms_number(group),
        "languages": settings.LANGUAGES,
    }
    return render(request, "outreach/leaflet.html", context, status=status)


@require_http_methods(["GET", "POST"])
def leaflet(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    if request.method != "POST":
        return _page(request, group)
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    form = LeafletEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_leaflet(
                group=group,
                by=viewer,
                language=data["language"],
                headline=data["headline"],
                message=data["message"],
                categories=data["categories"],
            )
        except NotAllowed as exc:
            # Not a member: there is no edit form on their page to show the refusal beside.
            messages.error(request, exc.message)
            return redirect("outreach:leaflet", slug=group.slug)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("Saved. Earlier versions stay in the history below."))
            page = reverse("outreach:leaflet", args=[group.slug])
            return redirect(f"{page}?edit={data['language']}")
    return _page(request, group, edit_form=form, status=400)


@require_GET
def leaflet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    options = LeafletOptionsForm(request.GET)
    if not options.is_valid():
        return _page(request, group, options=options, status=400)
    try:
        pdf = cached_leaflet_pdf(
            group=group,
            languages=options.cleaned_data["lang"],
            size=Size(options.cleaned_data["size"]),
            base_url=public_base_url(request),
        )
    except PrintingUnavailable as missing:
        options.add_error(None, str(missing))
        return _page(request, group, options=options, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="leaflet-{group.slug}.pdf"'
    return response
