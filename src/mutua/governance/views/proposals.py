"""Proposals: the list, a new one by kind, one proposal with its positions and comments,
editing, versions, and withdrawing. For the group's members."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.governance import policy, selectors, services
from mutua.governance.extensions import external_kinds
from mutua.governance.forms import (
    CommentForm,
    EditProposalForm,
    PositionForm,
    ProposalForm,
)
from mutua.governance.models import Proposal, ProposalKind
from mutua.governance.selectors import taking
from mutua.governance.views._common import PAGE_SIZE, members_only, proposal_page
from mutua.groups import selectors as group_selectors
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug
from mutua.people.models import User


@require_GET
def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    decided = Paginator(selectors.decided_proposals(group), PAGE_SIZE).get_page(
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
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    kinds = [kind for kind in ProposalKind if kind not in external_kinds()]
    return render(request, "governance/proposal_kinds.html", {"group": group, "kinds": kinds})


@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    group = group_by_slug(slug)
    if kind not in ProposalKind.values or kind in external_kinds():
        raise Http404(kind)
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    members, group_agreements = selectors.members(group), selectors.agreements(group)
    status = 200
    if request.method == "POST":
        form = ProposalForm(
            request.POST,
            kind=kind,
            members=members,
            agreements=group_agreements,
            waiting=taking.groups_asking_to_share(group),
            networks=group_selectors.networks_to_join(group),
        )
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
                    other_group=data.get("other_group"),
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Your proposal is open. Members can now respond."))
                return redirect(proposal_page(proposal))
        status = 400
    else:
        form = ProposalForm(
            initial=_amendment(request, group),
            kind=kind,
            members=members,
            agreements=group_agreements,
            waiting=taking.groups_asking_to_share(group),
            networks=group_selectors.networks_to_join(group),
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
    viewer = members_only(request, group)
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
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    proposal = selectors.get_proposal(group, proposal_id)
    if not policy.may_edit(viewer, proposal):
        messages.error(request, _("Only the author can edit a proposal, in its first round."))
        return redirect(proposal_page(proposal))
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
                return redirect(proposal_page(proposal))
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
    viewer = members_only(request, group)
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
    viewer = members_only(request, group)
    if isinstance(viewer, HttpResponse):
        return viewer
    proposal = selectors.get_proposal(group, proposal_id)
    try:
        done = act(proposal, viewer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(proposal_page(proposal))


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
