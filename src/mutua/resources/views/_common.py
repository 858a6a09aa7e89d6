"""What the resources pages share: they are for the group's members."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.groups.models import Group
from mutua.people.models import User
from mutua.people.web import signed_in
from mutua.resources import policy


def members_only(request: HttpRequest, group: Group) -> User | HttpResponse:
    """The member making the request, or the response for anyone else: log in first, or
    a page saying this is for members (with the join button)."""
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    if not policy.may_see(viewer, group):
        return render(request, "resources/members_only.html", {"group": group}, status=403)
    return viewer
