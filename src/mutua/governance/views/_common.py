"""What the governance pages share: members only, and where a group's pages are."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from mutua.governance import policy
from mutua.governance.models import Proposal
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.people.web import signed_in

PAGE_SIZE = 50


def members_only(request: HttpRequest, group: Group) -> User | HttpResponse:
    """The member making the request, or the response for anyone else: log in first, or
    a page saying these pages are for members (with the join button)."""
    viewer = signed_in(request)
    if viewer is None:
        target = request.get_full_path() if request.method == "GET" else group_page(group)
        return redirect_to_login(target)
    if not policy.can_see_governance(viewer, group):
        return render(request, "governance/members_only.html", {"group": group}, status=403)
    return viewer


def group_page(group: Group) -> str:
    return reverse("groups:group_detail", args=[group.slug])


def proposal_page(proposal: Proposal) -> str:
    return reverse("governance:proposal_detail", args=[proposal.group.slug, proposal.pk])
