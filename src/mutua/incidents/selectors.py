"""Reads of incidents: lists, one incident, its surge board by type of work, and its
figures (kept in full when it closes, published only as counts of at least K asks)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from mutua.aid.models import AskStatus
from mutua.core.anonymity import published, suppress
from mutua.core.errors import NotFound
from mutua.groups.models import Group
from mutua.incidents.models import (
    Case,
    Incident,
    IncidentStatus,
    Volunteer,
    WorkClaim,
    WorkStatus,
    WorkType,
)
from mutua.incidents.policy import network_of
from mutua.people.models import User


def incidents(*, group: Group | None = None, status: str = "") -> QuerySet[Incident]:
    found = Incident.objects.select_related("group")
    if group is not None:
        found = found.filter(group=group)
    if status:
        found = found.filter(status=status)
    return found


def incident_by_id(incident_id: int, *, group: Group | None = None) -> Incident:
    found = incidents(group=group).select_related("proposal").filter(pk=incident_id).first()
    if found is None:
        raise NotFound(f"incident {incident_id}")
    return found


def case_by_id(incident: Incident, case_id: int) -> Case:
    found = Case.objects.select_related("incident__group", "ask").filter(
        incident=incident, pk=case_id
    )
    case = found.first()
    if case is None:
        raise NotFound(f"case {case_id}")
    return case


def work_claim_by_id(incident: Incident, claim_id: int) -> WorkClaim:
    claim = (
        WorkClaim.objects.select_related("group", "case__incident")
        .filter(case__incident=incident, pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound(f"work claim {claim_id}")
    return claim


def figures(incident: Incident) -> dict[str, Any]:
    """Exact counts: cases, their asks by status, and per type of work the cases that need
    it with nobody on it, taken and done; groups at work and volunteers who joined."""
    cases = list(Case.objects.filter(incident=incident).values("pk", "needs", "ask__status"))
    claims = list(
        WorkClaim.objects.filter(case__incident=incident).values(
            "case_id", "work_type", "status", "group_id"
        )
    )
    taken = {(c["case_id"], c["work_type"]) for c in claims}
    work: dict[str, dict[str, int]] = {}
    for work_type in incident.work_types:
        of_type = [c for c in claims if c["work_type"] == work_type]
        work[work_type] = {
            "waiting": sum(
                1 for c in cases if work_type in c["needs"] and (c["pk"], work_type) not in taken
            ),
            "taken": sum(1 for c in of_type if c["status"] == WorkStatus.CLAIMED),
            "done": sum(1 for c in of_type if c["status"] == WorkStatus.DONE),
        }
    statuses = Counter(c["ask__status"] for c in cases)
    return {
        "cases": len(cases),
        "asks": {s: statuses.get(s, 0) for s in AskStatus.values if statuses.get(s)},
        "work": work,
        "groups_at_work": len({c["group_id"] for c in claims}),
        "volunteers": Volunteer.objects.filter(incident=incident).count(),
    }


def current_figures(incident: Incident) -> dict[str, Any]:
    """The archived figures of a closed incident; the live ones otherwise."""
    if incident.status == IncidentStatus.CLOSED and incident.figures:
        archived: dict[str, Any] = incident.figures
        return archived
    return figures(incident)


PRIVATE_ASK_FIELDS = ("lat", "lon", "address", "contact_name", "contact_phone", "contact_email")


@dataclass(frozen=True)
class PublicWork:
    work_type: str
    label: str
    # None: fewer than K, not shown.
    waiting: int | None
    taken: int | None
    done: int | None


@dataclass(frozen=True)
class PublicFigures:
    cases: int | None
    done: int | None
    work: list[PublicWork] = field(default_factory=list)


def public_figures(incident: Incident) -> PublicFigures:
    """What anyone may see of the incident's progress: counts only, each of at least K
    cases or zero (core.anonymity), never a case, a place or a person."""
    full = current_figures(incident)
    work = []
    for work_type, counts in full["work"].items():
        waiting, taken, done = suppress([counts["waiting"], counts["taken"], counts["done"]])
        work.append(PublicWork(work_type, str(WorkType(work_type).label), waiting, taken, done))
    return PublicFigures(
        cases=published(full["cases"]),
        done=published(int(full["asks"].get(AskStatus.DONE, 0))),
        work=work,
    )


@dataclass(frozen=True)
class Column:
    """One type of work on the surge board: the cases that need it and nobody took, and
    the work taken or done, with the group doing it."""

    work_type: str
    label: str
    waiting: list[Case]
    claims: list[WorkClaim]


@dataclass(frozen=True)
class Board:
    incident: Incident
    columns: list[Column]
    cases: list[Case]


def board(incident: Incident) -> Board:
    """The surge board: for responders (policy.is_responder), with the cases' coarse
    places only (the ask's page reveals the rest to whoever takes it)."""
    cases = list(
        Case.objects.filter(incident=incident)
        .select_related("ask")
        # The board shows coarse places only: the private fields are not even decrypted.
        .defer(*(f"ask__{name}" for name in PRIVATE_ASK_FIELDS))
        .prefetch_related("work_claims__group")
        .order_by("-ask__urgency", "pk")
    )
    columns = []
    for work_type, label in incident.work_type_labels():
        claims = [
            claim
            for case in cases
            for claim in case.work_claims.all()
            if claim.work_type == work_type
        ]
        taken = {claim.case_id for claim in claims}
        waiting = [c for c in cases if work_type in c.needs and c.pk not in taken]
        columns.append(Column(work_type, label, waiting, claims))
    return Board(incident=incident, columns=columns, cases=cases)


def groups_to_work_for(user: User, incident: Incident) -> list[Group]:
    """The user's groups that may take work on the incident's cases (its network's)."""
    network = network_of(incident.group)
    mine = Group.objects.filter(memberships__user=user).order_by("name")
    return [g for g in mine if network_of(g).pk == network.pk]
