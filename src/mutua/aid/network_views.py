"""The network page, /groups/<slug>/network/: figures only, for anyone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.aid.network import ACTIVE_DAYS, network_figures
from mutua.groups.selectors import group_by_slug


def network(request: HttpRequest, slug: str) -> HttpResponse:
    """How the groups of a network (the group and every group nested in it) are doing."""
    figures = network_figures(group_by_slug(slug))
    return render(
        request,
        "aid/network.html",
        {"figures": figures, "group": figures.network, "active_days": ACTIVE_DAYS},
    )
