"""Starting a group: its founder becomes its first member."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutua.core import geo
from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.governance import services
from mutua.governance.forms import (
    FoundGroupForm,
)
from mutua.groups.selectors import map_centre
from mutua.people.web import signed_in


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    founder = signed_in(request)
    assert founder is not None  # login_required
    status = 200
    if request.method == "POST":
        form = FoundGroupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            lat, lon = data["point"]
            try:
                group = services.found_group(
                    founder=founder,
                    name=data["name"],
                    description=data["description"],
                    kind=data["kind"],
                    cells=geo.disk(lat, lon, data["radius_km"], resolution=geo.PUBLIC_RESOLUTION),
                )
            except DomainError as exc:
                attach_domain_error(form, exc, {"cells": "radius_km", "slug": "name"})
            else:
                messages.success(
                    request,
                    _(
                        "%(group)s is founded. You hold its roles for the first days only; "
                        "then the group grants them, by decision or by trust."
                    )
                    % {"group": group.name},
                )
                return redirect("groups:group_detail", slug=group.slug)
        status = 400
    else:
        form = FoundGroupForm()
    context = {"form": form, "map_centre": map_centre(), "tile_url": settings.MUTUA_TILE_URL}
    return render(request, "governance/group_new.html", context, status=status)
