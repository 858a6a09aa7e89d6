"""Public group pages, and joining or leaving in one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core.errors import DomainError
from mutua.core.web import safe_next
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


@require_POST
def second_area(request: HttpRequest, slug: str) -> HttpResponse:
    """Help in this group's area as well as near home (from "where help is missing")."""
    group = selectors.group_by_slug(slug)
    back = safe_next(request, reverse("groups:group_detail", args=[group.slug]))
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(back)
    try:
        services.help_in_second_area(group=group, user=viewer)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _(
            "%(group)s is your second area: dispatch will suggest you asks there that "
            "nobody nearer can take."
        )
        % {"group": group.name},
    )
    return redirect(back)


@require_POST
def second_area_stop(request: HttpRequest, slug: str) -> HttpResponse:
    """Stop helping in one's second area; the membership stays."""
    group = selectors.group_by_slug(slug)
    back = safe_next(request, reverse("groups:group_detail", args=[group.slug]))
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(back)
    services.stop_second_area(user=viewer, group=group)
    messages.success(request, _("You no longer have a second area."))
    return redirect(back)
