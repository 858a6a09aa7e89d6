"""Roles and trust: who holds which role, and giving or withdrawing trust. For members."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutua.core.errors import DomainError
from mutua.governance import selectors, services
from mutua.governance.forms import (
    TrustForm,
)
from mutua.governance.models import ROLE_DUTIES, SENSITIVE_ROLES, Role
from mutua.governance.selectors import taking
from mutua.governance.views._common import members_only
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug


@require_GET
def roles(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    context = {
        "group": group,
        "holders": [
            (role, label, ROLE_DUTIES[role], terms)
            for role, label, terms in selectors.holders_by_role(group)
        ],
        "thresholds": _thresholds(group),
        "progress": selectors.trust_progress(group),
        "given": selectors.trust_given_by(group, viewer),
        "trust_form": TrustForm(members=selectors.members(group).exclude(pk=viewer.pk)),
        "past": selectors.past_terms(group),
        "sensitive": SENSITIVE_ROLES,
        "take": taking.take_summary(group),
    }
    return render(request, "governance/roles.html", context)


def _thresholds(group: Group) -> list[tuple[str, int]]:
    row = selectors.group_settings(group)
    return [(str(label), row.trust_threshold(role)) for role, label in Role.choices]


@require_POST
def trust_give(request: HttpRequest, slug: str) -> HttpResponse:
    return _trust_action(request, slug, give=True)


@require_POST
def trust_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    return _trust_action(request, slug, give=False)


def _trust_action(request: HttpRequest, slug: str, *, give: bool) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    page = reverse("governance:roles", args=[group.slug])
    form = TrustForm(request.POST, members=selectors.members(group))
    if not form.is_valid():
        messages.error(request, _("Choose a member and a role."))
        return redirect(page)
    receiver, role = form.cleaned_data["receiver"], form.cleaned_data["role"]
    try:
        if give:
            trust = services.give_trust(group=group, giver=viewer, receiver=receiver, role=role)
        else:
            services.withdraw_trust(group=group, giver=viewer, receiver=receiver, role=role)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(page)
    names = {"name": receiver.display_name, "role": Role(role).label}
    if not give:
        messages.success(request, _("You no longer trust %(name)s as %(role)s.") % names)
    elif trust.term_id is not None:
        messages.success(
            request,
            _("Your trust was the last one needed: %(name)s now holds the role %(role)s.") % names,
        )
    else:
        messages.success(request, _("You trust %(name)s as %(role)s.") % names)
    return redirect(page)
