"""Governance pages: founding a group, proposals, roles and trust, agreements, the log.

Proposals, roles and the log are for the group's members (an outsider gets a page saying
so, with the join button); agreements are public, so anyone can read a group's rules
before joining. Every page is plain HTML forms with POST-redirect-GET.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutua.core import geo
from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.core.web import member
from mutua.governance import policy, selectors, services
from mutua.governance.forms import (
    CommentForm,
    EditProposalForm,
    FoundGroupForm,
    PositionForm,
    ProposalForm,
    TrustForm,
)
from mutua.governance.models import ROLE_DUTIES, Proposal, ProposalKind, Role
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug, map_centre
from mutua.people.models import User

_PAGE_SIZE = 50


def _members_only(request: HttpRequest, group: Group) -> User | HttpResponse:
    """The member making the request, or the response for anyone else: log in first, or
    a page saying these pages are for members (with the join button)."""
    viewer = member(request)
    if viewer is None:
        target = request.get_full_path() if request.method == "GET" else _group_page(group)
        return redirect_to_login(target)
    if not policy.can_see_governance(viewer, group):
        return render(request, "governance/members_only.html", {"group": group}, status=403)
    return viewer


def _group_page(group: Group) -> str:
    return reverse("groups:group_detail", args=[group.slug])


def _proposal_page(proposal: Proposal) -> str:
    return reverse("governance:proposal_detail", args=[proposal.group.slug, proposal.pk])


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    founder = member(request)
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


@require_GET
def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = _members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    decided = Paginator(selectors.decided_proposals(group), _PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "group": group,
        "open": selectors.open_proposals(group),
        "decided": decided,
        "rules": selectors.group_settings(group),
    }
    return render(request, "governance/proposals.html", context)


@require_GET
def proposal_kinds(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = _members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    return render(
        request, "governance/proposal_kinds.html", {"group": group, "kinds": ProposalKind}
    )


@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    group = group_by_slug(slug)
    if kind not in ProposalKind.values:
        raise Http404(kind)
    viewer = _members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    members, group_agreements = selectors.members(group), selectors.agreements(group)
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, kind=kind, members=members, agreements=group_agreements)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.open_proposal(
                    group=group,
                    author=viewer,
                    kind=kind,
                    title=data["title"],
                    text=data["text"],
                    days=data["days"],
                    role=data.get("role", ""),
                    subject=data.get("subject"),
                    term_days=data.get("term_days"),
                    setting_key=data.get("setting_key", ""),
                    setting_value=data.get("setting_value", ""),
                    agreement=data.get("agreement"),
                    agreement_title=data.get("agreement_title", ""),
                    agreement_text=data.get("agreement_text", ""),
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Your proposal is open. Members can now respond."))
                return redirect(_proposal_page(proposal))
        status = 400
    else:
        form = ProposalForm(
            initial=_amendment(request, group),
            kind=kind,
            members=members,
            agreements=group_agreements,
        )
    context = {
        "group": group,
        "form": form,
        "kind": ProposalKind(kind),
        "settings_now": selectors.setting_rows(group)
        if kind == ProposalKind.CHANGE_SETTING
        else [],
    }
    return render(request, "governance/proposal_form.html", context, status=status)


def _amendment(request: HttpRequest, group: Group) -> dict[str, object]:
    """The current text of the agreement named in ?agreement=, to start an amendment from."""
    agreement_id = request.GET.get("agreement", "")
    if not agreement_id.isdigit():
        return {}
    agreement = selectors.get_agreement(group, int(agreement_id))
    current = selectors.agreement_versions(agreement).first()
    return {
        "agreement": agreement,
        "agreement_title": agreement.title,
        "agreement_text": current.text if current else "",
    }


@require_GET
def proposal_detail(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = _members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    proposal = selectors.get_proposal(group, proposal_id)
    mine = selectors.position_of(proposal, viewer)
    initial = {"stance": mine.stance, "reason": mine.reason} if mine else {}
    context = {
        "group": group,
        "proposal": proposal,
        "standing": selectors.standing(proposal) if proposal.is_open else None,
        "positions": selectors.positions(proposal),
        "comments": selectors.comments(proposal),
        "mine": mine,
        "position_form": PositionForm(initial=initial),
        "comment_form": CommentForm(),
        "may_take_position": proposal.is_open and policy.may_take_position(viewer, proposal),
        "may_edit": policy.may_edit(viewer, proposal),
        "is_author": proposal.author_id == viewer.pk,
        "is_subject": proposal.subject_id == viewer.pk,
    }
    return render(request, "governance/proposal_detail.html", context)


@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = _members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    proposal = selectors.get_proposal(group, proposal_id)
    if not policy.may_edit(viewer, proposal):
        messages.error(request, _("Only the author can edit a proposal, in its first round."))
        return redirect(_proposal_page(proposal))
    status = 200
    if request.method == "POST":
        form = EditProposalForm(request.POST, kind=proposal.kind)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.edit_proposal(
                    proposal=proposal,
                    editor=viewer,
                    title=data["title"],
                    text=data["text"],
                    agreement_title=data.get("agreement_title", ""),
                    agreement_text=data.get("agreement_text", ""),
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Saved. Earlier versions stay in the history."))
                return redirect(_proposal_page(proposal))
        status = 400
    else:
        form = EditProposalForm(
            kind=proposal.kind,
            initial={
                "title": proposal.title,
                "text": proposal.text,
                "agreement_title": proposal.agreement_title,
                "agreement_text": proposal.agreement_text,
            },
        )
    context = {"group": group, "proposal": proposal, "form": form}
    return render(request, "governance/proposal_edit.html", context, status=status)


@require_GET
def proposal_versions(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = _members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    proposal = selectors.get_proposal(group, proposal_id)
    context = {"group": group, "proposal": proposal, "versions": selectors.versions(proposal)}
    return render(request, "governance/proposal_versions.html", context)


def _proposal_action(
    request: HttpRequest,
    slug: str,
    proposal_id: int,
    act: Callable[[Proposal, User], str],
) -> HttpResponse:
    """Run one action from a form on the proposal page and go back to the page."""
    group = group_by_slug(slug)
    viewer = _members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    proposal = selectors.get_proposal(group, proposal_id)
    try:
        done = act(proposal, viewer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_proposal_page(proposal))


@require_POST
def proposal_position(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    form = PositionForm(request.POST)

    def act(proposal: Proposal, viewer: User) -> str:
        if not form.is_valid():
            _invalid(form)
        services.take_position(
            proposal=proposal,
            member=viewer,
            stance=form.cleaned_data["stance"],
            reason=form.cleaned_data["reason"],
        )
        return _("Your position is recorded. You can change it until the deadline.")

    return _proposal_action(request, slug, proposal_id, act)


@require_POST
def proposal_comment(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    form = CommentForm(request.POST)

    def act(proposal: Proposal, viewer: User) -> str:
        if not form.is_valid():
            _invalid(form)
        services.add_comment(proposal=proposal, author=viewer, text=form.cleaned_data["text"])
        return _("Your comment is posted.")

    return _proposal_action(request, slug, proposal_id, act)


@require_POST
def proposal_withdraw(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    def act(proposal: Proposal, viewer: User) -> str:
        services.withdraw_proposal(proposal=proposal, member=viewer)
        return _("The proposal is withdrawn.")

    return _proposal_action(request, slug, proposal_id, act)


def _invalid(form: PositionForm | CommentForm) -> NoReturn:
    """A form on the proposal page came back wrong: refuse, naming the field and its error."""
    name, errors = next(iter(form.errors.items()))
    raise DomainError(f"{form.fields[name].label}: {errors[0]}")


@require_GET
def roles(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = _members_only(request, group)
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
    viewer = _members_only(request, group)
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


@require_GET
def agreements(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = member(request)
    context = {
        "group": group,
        "agreements": selectors.agreements(group),
        "is_member": policy.is_member(viewer, group),
    }
    return render(request, "governance/agreements.html", context)


@require_GET
def agreement_detail(request: HttpRequest, slug: str, agreement_id: int) -> HttpResponse:
    group = group_by_slug(slug)
    agreement = selectors.get_agreement(group, agreement_id)
    viewer = member(request)
    context = {
        "group": group,
        "agreement": agreement,
        "versions": selectors.agreement_versions(agreement),
        "is_member": policy.is_member(viewer, group),
    }
    return render(request, "governance/agreement_detail.html", context)


@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = _members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    page = Paginator(selectors.log(group), _PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "governance/history.html", {"group": group, "page": page})
