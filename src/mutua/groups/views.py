"""Public group pages, and joining or leaving in one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.groups import extensions, selectors, services
from mutua.people.web import signed_in


def group_list(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/group_list.html", {"groups": selectors.groups_with_counts()})


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_page(slug)
    viewer = signed_in(request)
    context = {
        "group": group,
        "is_member": viewer is not None and selectors.is_member(group=group, user=viewer),
        "children": group.children.order_by("name"),
        "facts": extensions.page_facts(group),
    }
    return render(request, "groups/group_detail.html", context)


@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_by_slug(slug)
    page = reverse("groups:group_detail", args=[group.slug])
    viewer = signed_in(request)
    if viewer is None:
        messages.info(request, _("Log in or sign up first; then joining is one click."))
        return redirect_to_login(page)
    services.join_group(group=group, user=viewer)
    messages.success(request, _("You are a member of %(group)s.") % {"group": group.name})
    return redirect(page)


@require_POST
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_by_slug(slug)
    page = reverse("groups:group_detail", args=[group.slug])
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(page)
    services.leave_group(group=group, user=viewer)
    messages.success(request, _("You left %(group)s.") % {"group": group.name})
    return redirect(page)
