"""A group's area page, /groups/<slug>/area/: the area and the groups it overlaps on a map
for anyone, and for members a way to propose a new one, drawn or uploaded."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.governance import policy
from mutua.governance.forms import AreaForm
from mutua.governance.selectors.areas import area_of
from mutua.governance.services import areas
from mutua.governance.views._common import members_only, proposal_page
from mutua.groups import selectors as group_selectors
from mutua.people.web import signed_in


@require_http_methods(["GET", "POST"])
def group_area(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_selectors.group_by_slug(slug)
    status = 200
    form = AreaForm()
    if request.method == "POST":
        member = members_only(request, group)
        if isinstance(member, HttpResponse):
            return member
        form = AreaForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = areas.propose_area(
                    group=group, author=member, geojson=data["geojson"], days=data["days"]
                )
            except DomainError as exc:
                attach_domain_error(form, exc, {"cells": "area"})
            else:
                messages.success(request, _("Your proposal is open. Members can now respond."))
                return redirect(proposal_page(proposal))
        status = 400
    viewer = signed_in(request)
    area = area_of(group)
    outlines = {"group": area.outline(), "overlaps": area.overlap_outlines()}
    context = {
        "group": group,
        "overlaps": area.overlaps,
        "outlines": outlines,
        "form": form,
        "may_propose": viewer is not None and policy.can_see_governance(viewer, group),
    }
    return render(request, "governance/area.html", context, status=status)
