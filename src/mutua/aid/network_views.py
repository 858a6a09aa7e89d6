"""The network page, /groups/<slug>/network/, and where help is missing in it: figures
only, for anyone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.aid.network import ACTIVE_DAYS, network_figures
from mutua.aid.shortfall import WEEKS, where_help_is_missing
from mutua.groups.selectors import group_by_slug, second_area_of
from mutua.people.web import signed_in


def network(request: HttpRequest, slug: str) -> HttpResponse:
    """How the groups of a network (the group and every group nested in it) are doing."""
    figures = network_figures(group_by_slug(slug))
    return render(
        request,
        "aid/network.html",
        {"figures": figures, "group": figures.network, "active_days": ACTIVE_DAYS},
    )


def help_missing(request: HttpRequest, slug: str) -> HttpResponse:
    """Need against helpers in reach, per area of the network, the shortest first."""
    network = group_by_slug(slug)
    viewer = signed_in(request)
    return render(
        request,
        "aid/help_missing.html",
        {
            "group": network,
            "areas": where_help_is_missing(network),
            "weeks": WEEKS,
            "second_area": second_area_of(viewer) if viewer else None,
            "signed_in": viewer is not None,
        },
    )
