"""The incidents API, under /api/v1/incidents: list, open (by proposal, or at once by a
dispatcher), one incident with its cases or its public figures, close, join, assess a
case and take a type of work on it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from mutua.core.errors import InvalidInput
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.groups.selectors import group_by_slug
from mutua.incidents import policy, selectors
from mutua.incidents.models import Case, Incident, IncidentStatus, WorkClaim
from mutua.incidents.schemas import (
    AssessIn,
    CaseOut,
    IncidentDetail,
    IncidentIn,
    IncidentList,
    IncidentOut,
    JoinOut,
    WorkClaimIn,
    WorkClaimOut,
)
from mutua.incidents.services import cases, lifecycle, work
from mutua.people.auth import bearer
from mutua.people.models import User

router = Router(tags=["incidents"])


class ListQuery(Schema):
    group: str | None = None
    status: str | None = None


def _user(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def incident_out(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "group": incident.group.slug,
        "name": incident.name,
        "kind": incident.kind,
        "status": incident.status,
        "emergency": incident.emergency,
        "confirmed": incident.confirmed_at is not None,
        "proposal": incident.proposal_id,
        "work_types": incident.work_types,
        "intake_fields": incident.intake_fields,
        "opened_at": incident.opened_at,
        "closed_at": incident.closed_at,
    }


def _work_out(claim: WorkClaim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "work_type": claim.work_type,
        "group": claim.group.slug,
        "status": claim.status,
    }


def case_out(case: Case) -> dict[str, Any]:
    ask = case.ask
    return {
        "id": case.pk,
        "ask": ask.pk,
        "category": ask.category,
        "urgency": ask.urgency,
        "status": ask.status,
        "area": ask.area_name,
        "needs": case.needs,
        "intake": case.intake,
        "work": [_work_out(c) for c in case.work_claims.all()],
    }


def _detail(incident: Incident, user: User) -> dict[str, Any]:
    responder = policy.is_responder(user, incident)
    if responder:
        figures = selectors.current_figures(incident)
        shown = [case_out(c) for c in selectors.board(incident).cases]
    else:
        public = selectors.public_figures(incident)
        figures = {
            "cases": public.cases,
            "done": public.done,
            "work": {
                w.work_type: {"waiting": w.waiting, "taken": w.taken, "done": w.done}
                for w in public.work
            },
        }
        shown = []
    return incident_out(incident) | {"responder": responder, "figures": figures, "cases": shown}


@router.get(
    "",
    response={200: IncidentList, **errors(400, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Incidents",
)
def incident_list(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    """Every incident, newest first; `group` (a slug) and `status` (proposed, open, closed,
    not-opened) narrow it."""
    if query.status and query.status not in IncidentStatus.values:
        raise InvalidInput(
            _("The status must be one of: %(values)s.")
            % {"values": ", ".join(IncidentStatus.values)},
            field="status",
        )
    group = group_by_slug(query.group) if query.group else None
    found = selectors.incidents(group=group, status=query.status or "")[:200]
    return {"items": [incident_out(i) for i in found]}


@router.post(
    "",
    response={201: IncidentOut, **errors(400, 403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Open an incident",
)
def incident_open(request: HttpRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    """Any member proposes an incident to their group (`status` proposed: it opens when the
    proposal passes). With `emergency`, one of the group's dispatchers opens it at once and
    the proposal asks the group to confirm it; if that does not pass, it closes."""
    data = payload.dict()
    emergency = data.pop("emergency")
    data["group"] = group_by_slug(data["group"])
    opener = lifecycle.open_at_once if emergency else lifecycle.propose_incident
    incident = opener(by=_user(request), **data)
    return Status(201, incident_out(incident))


@router.get(
    "/{incident_id}",
    response={200: IncidentDetail, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="One incident",
)
def incident_detail(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    """Its members and volunteers get its cases (coarse places only) and exact figures;
    anyone else the public progress: counts only, those of fewer than 5 null."""
    return _detail(selectors.incident_by_id(incident_id), _user(request))


@router.post(
    "/{incident_id}/close",
    response={200: IncidentDetail, **errors(403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Close an incident",
)
def incident_close(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    """The group's dispatchers close it; its figures are archived as they stand."""
    user = _user(request)
    incident = lifecycle.close_incident(incident=selectors.incident_by_id(incident_id), by=user)
    return _detail(incident, user)


@router.post(
    "/{incident_id}/join",
    response={201: JoinOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Join an incident as a volunteer",
)
def incident_join(request: HttpRequest, incident_id: int) -> Status[dict[str, Any]]:
    """A member of another group of the network joins: they may then take the incident's
    cases (and only those), as their own group trusts them to, until it closes."""
    volunteer = work.join_incident(
        incident=selectors.incident_by_id(incident_id), member=_user(request)
    )
    return Status(201, {"incident": incident_id, "home_group": volunteer.home_group.slug})


@router.post(
    "/{incident_id}/cases/{case_id}/assess",
    response={200: CaseOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Assess a case",
)
def case_assess(
    request: HttpRequest, incident_id: int, case_id: int, payload: AssessIn
) -> dict[str, Any]:
    """Record the types of work the case needs and the answers to the incident's intake
    questions (numbers, yes/no or one of its choices)."""
    case = selectors.case_by_id(selectors.incident_by_id(incident_id), case_id)
    cases.assess_case(case=case, by=_user(request), needs=payload.needs, answers=payload.intake)
    return case_out(selectors.case_by_id(case.incident, case_id))


@router.post(
    "/{incident_id}/cases/{case_id}/claims",
    response={201: WorkClaimOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Take a type of work on a case",
)
def case_claim(
    request: HttpRequest, incident_id: int, case_id: int, payload: WorkClaimIn
) -> Status[dict[str, Any]]:
    """For one of your groups in the incident's network. Each type of work on a case goes
    to one group: 409 if another group has it already."""
    case = selectors.case_by_id(selectors.incident_by_id(incident_id), case_id)
    claim = work.claim_work(
        case=case,
        work_type=payload.work_type,
        group=group_by_slug(payload.group),
        by=_user(request),
    )
    return Status(201, _work_out(claim) | {"case": case.pk})


@router.post(
    "/{incident_id}/claims/{claim_id}/done",
    response={200: WorkClaimOut, **errors(403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Mark a type of work done",
)
def claim_done(request: HttpRequest, incident_id: int, claim_id: int) -> dict[str, Any]:
    """By a member of the group that took it."""
    claim = selectors.work_claim_by_id(selectors.incident_by_id(incident_id), claim_id)
    done = work.finish_work(claim=claim, by=_user(request))
    return _work_out(done) | {"case": done.case_id}
