"""The incident pages of a group: /groups/<slug>/incidents/ (the list, and opening one),
/groups/<slug>/incidents/<id>/ (the surge board, for its responders) and .../progress/
(the public page: counts only). Plain forms posting to one action each and coming back."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.governance.selectors.areas import area_outline
from mutua.groups.selectors import area_cells, group_by_slug, is_member
from mutua.incidents import policy, selectors
from mutua.incidents.forms import AssessForm, IncidentForm, WorkClaimForm
from mutua.incidents.models import Incident
from mutua.incidents.services import cases, lifecycle, work
from mutua.people.models import User
from mutua.people.web import signed_in


def _list(request: HttpRequest, slug: str, form: IncidentForm | None, status: int) -> HttpResponse:
    group = group_by_slug(slug)
    user = signed_in(request)
    incidents = selectors.incidents(group=group)
    # The map to draw an incident's area on: the group's area, and the incidents open in it.
    outlines = {
        "group": area_outline(sorted(area_cells(group))),
        "overlaps": [
            {"name": incident.name, "outline": area_outline(incident.cells)}
            for incident in incidents
            if incident.is_open
        ],
    }
    context = {
        "group": group,
        "incidents": incidents,
        "member": is_member(group=group, user=user),
        "dispatcher": policy.may_open_at_once(user, group),
        "form": form or IncidentForm(),
        "outlines": outlines,
    }
    return render(request, "incidents/list.html", context, status=status)


@never_cache
@require_GET
def incident_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _list(request, slug, None, 200)


@login_required
@require_POST
def incident_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    user = signed_in(request)
    assert user is not None  # login_required
    form = IncidentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        opener = lifecycle.open_at_once if data["emergency"] else lifecycle.propose_incident
        try:
            incident = opener(
                group=group,
                by=user,
                name=data["name"],
                kind=data["kind"],
                area=data["geojson"],
                work_types=data["work_types"],
                days=data["days"],
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            if incident.is_open:
                messages.success(request, _("The incident is open; the group confirms it now."))
                return redirect("incidents:board", slug=group.slug, incident_id=incident.pk)
            messages.success(request, _("Proposed: the incident opens when the group agrees."))
            return redirect("incidents:list", slug=group.slug)
    return _list(request, slug, form, 400)


def _incident(slug: str, incident_id: int) -> Incident:
    return selectors.incident_by_id(incident_id, group=group_by_slug(slug))


@never_cache
@require_GET
def board(request: HttpRequest, slug: str, incident_id: int) -> HttpResponse:
    incident = _incident(slug, incident_id)
    user = signed_in(request)
    if user is None or not policy.is_responder(user, incident):
        return redirect("incidents:progress", slug=slug, incident_id=incident.pk)
    groups = selectors.groups_to_work_for(user, incident)
    context = {
        "group": incident.group,
        "incident": incident,
        "board": selectors.board(incident),
        "figures": selectors.current_figures(incident),
        "claim_form": WorkClaimForm(incident=incident, groups=groups),
        "assess_form": AssessForm(incident=incident),
        "may_close": incident.is_open and policy.may_close(user, incident),
    }
    return render(request, "incidents/board.html", context)


@never_cache
@require_GET
def progress(request: HttpRequest, slug: str, incident_id: int) -> HttpResponse:
    incident = _incident(slug, incident_id)
    user = signed_in(request)
    context = {
        "group": incident.group,
        "incident": incident,
        "figures": selectors.public_figures(incident),
        "responder": policy.is_responder(user, incident),
        "may_join": user is not None
        and incident.is_open
        and not policy.is_responder(user, incident)
        and bool(policy.homes_to_join_from(user, incident)),
    }
    return render(request, "incidents/progress.html", context)


def _act(
    request: HttpRequest,
    slug: str,
    incident_id: int,
    act: Callable[[Incident, User], object],
    done: str,
) -> HttpResponse:
    incident = _incident(slug, incident_id)
    user = signed_in(request)
    assert user is not None  # login_required
    try:
        act(incident, user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("incidents:board", slug=slug, incident_id=incident.pk)


@login_required
@require_POST
def join(request: HttpRequest, slug: str, incident_id: int) -> HttpResponse:
    return _act(
        request,
        slug,
        incident_id,
        lambda incident, user: work.join_incident(incident=incident, member=user),
        _("You joined the incident: its cases are open to you until it closes."),
    )


@login_required
@require_POST
def close(request: HttpRequest, slug: str, incident_id: int) -> HttpResponse:
    return _act(
        request,
        slug,
        incident_id,
        lambda incident, user: lifecycle.close_incident(incident=incident, by=user),
        _("The incident is closed; its figures are archived."),
    )


@login_required
@require_POST
def claim(request: HttpRequest, slug: str, incident_id: int, case_id: int) -> HttpResponse:
    def act(incident: Incident, user: User) -> object:
        form = WorkClaimForm(
            request.POST, incident=incident, groups=selectors.groups_to_work_for(user, incident)
        )
        if not form.is_valid():
            raise DomainError(_("Choose a type of work and one of your groups."))
        return work.claim_work(
            case=selectors.case_by_id(incident, case_id),
            work_type=form.cleaned_data["work_type"],
            group=group_by_slug(form.cleaned_data["group"]),
            by=user,
        )

    return _act(request, slug, incident_id, act, _("Your group has taken this work."))


@login_required
@require_POST
def assess(request: HttpRequest, slug: str, incident_id: int, case_id: int) -> HttpResponse:
    def act(incident: Incident, user: User) -> object:
        form = AssessForm(request.POST, incident=incident)
        if not form.is_valid():
            raise DomainError(_("Check the answers: numbers, yes or no, or one of the choices."))
        return cases.assess_case(
            case=selectors.case_by_id(incident, case_id),
            by=user,
            needs=form.cleaned_data["needs"],
            answers=form.answers(),
        )

    return _act(request, slug, incident_id, act, _("The case's assessment is saved."))


@login_required
@require_POST
def done(request: HttpRequest, slug: str, incident_id: int, claim_id: int) -> HttpResponse:
    return _act(
        request,
        slug,
        incident_id,
        lambda incident, user: work.finish_work(
            claim=selectors.work_claim_by_id(incident, claim_id), by=user
        ),
        _("Marked done. Thank you."),
    )
