"""Passing asks on between groups: the list of asks outside every group's area, each with
its place in words and the groups nearest it, and the button that passes an ask on (from
that list or the ask's page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.aid import policy, selectors, services
from mutua.aid.models import Ask, AskStatus
from mutua.core.errors import DomainError, NotFound
from mutua.core.web import safe_next
from mutua.groups.selectors import group_by_slug, groups_of
from mutua.people.models import User
from mutua.people.web import signed_in


def unrouted(request: HttpRequest) -> HttpResponse:
    """Open asks no group covers: where each is, in words and on the map, the groups
    nearest it, and (for a member of any group) a button to pass it to one of them."""
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), selectors.UNROUTED_LAST_PAGE)
    except ValueError:
        page = 1
    items, has_more = selectors.unrouted_items(page=page)
    viewer = signed_in(request)
    context = {
        "items": items,
        "page": page,
        "next_page": page + 1 if has_more else None,
        "may_pass": viewer is not None and groups_of(viewer).exists(),
        "map_label": _("Map of the asks outside every group's area"),
    }
    return render(request, "aid/unrouted.html", context)


@require_POST
def ask_hand_on(request: HttpRequest, ask_id: int) -> HttpResponse:
    """Pass the ask to the group chosen (its short name in `group`), then go back."""
    ask = selectors.get_ask(ask_id)
    back = safe_next(request, reverse("aid:ask_detail", args=[ask.pk]))
    viewer = signed_in(request)
    if viewer is None:
        messages.info(request, _("Log in or sign up first; it takes a minute."))
        return redirect_to_login(back)
    slug = request.POST.get("group", "").strip()
    try:
        target = group_by_slug(slug) if slug else None
    except NotFound:
        target = None
    if target is None:
        messages.error(request, _("Choose the group to pass the ask to."))
        return redirect(back)
    try:
        services.pass_to_group(ask=ask, to_group=target, actor=viewer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Ask #%(id)d is with %(group)s now; its dispatchers are told.")
            % {"id": ask.pk, "group": target.name},
        )
    return redirect(back)


def hand_on_context(ask: Ask, viewer: User | None) -> dict[str, object]:
    """What the ask's page shows about passing it on: where it has been, and, for someone
    who may pass it on, the groups it may go to."""
    may = ask.status == AskStatus.OPEN and policy.may_hand_on(ask=ask, user=viewer).allowed
    return {
        "path": selectors.hand_on_path(ask),
        "hand_on_targets": selectors.hand_on_targets(ask) if may else [],
    }
