"""What the group has decided: its agreements (public, so anyone can read a group's
rules before joining) and its log (for members)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mutua.governance import selectors
from mutua.governance.views._common import PAGE_SIZE, members_only
from mutua.groups.selectors import group_by_slug, is_member
from mutua.people.web import signed_in


@require_GET
def agreements(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = signed_in(request)
    context = {
        "group": group,
        "agreements": selectors.agreements(group),
        "is_member": is_member(group=group, user=viewer),
    }
    return render(request, "governance/agreements.html", context)


@require_GET
def agreement_detail(request: HttpRequest, slug: str, agreement_id: int) -> HttpResponse:
    group = group_by_slug(slug)
    agreement = selectors.get_agreement(group, agreement_id)
    viewer = signed_in(request)
    context = {
        "group": group,
        "agreement": agreement,
        "versions": selectors.agreement_versions(agreement),
        "is_member": is_member(group=group, user=viewer),
    }
    return render(request, "governance/agreement_detail.html", context)


@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    page = Paginator(selectors.log(group), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "governance/history.html", {"group": group, "page": page})
