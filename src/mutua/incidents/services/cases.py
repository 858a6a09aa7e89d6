"""An incident's cases: the asks inside its area during it, gathered when it opens, as each
new ask arrives (incidents.receivers), and by the worker's sweep (incidents.tasks) in case
a handler missed one; and what an assessment records about each case.
"""

from __future__ import annotations

from typing import Any

import h3
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskStatus
from mutua.core import geo
from mutua.core.errors import InvalidInput, InvalidTransition, NotAllowed
from mutua.incidents import intake, policy
from mutua.incidents.models import Case, Incident, IncidentStatus, WorkType
from mutua.people.models import User


def _public_cells(cells: list[str]) -> set[str]:
    """The public (resolution 8) cells that touch the area, to narrow the asks to test."""
    out: set[str] = set()
    for cell in cells:
        resolution = h3.get_resolution(cell)
        if resolution >= geo.PUBLIC_RESOLUTION:
            out.add(str(h3.cell_to_parent(cell, geo.PUBLIC_RESOLUTION)))
        else:
            out.update(str(c) for c in h3.cell_to_children(cell, geo.PUBLIC_RESOLUTION))
    return out


def _inside(incident: Incident, ask: Ask) -> bool:
    if ask.lat is None or ask.lon is None:  # its exact place was purged
        return False
    return not frozenset(incident.cells).isdisjoint(geo.ancestors(ask.lat, ask.lon))


@transaction.atomic
def gather_cases(*, incident: Incident, include_open: bool = False) -> int:
    """Make a case of every ask of the incident's groups (its own and those inside it)
    whose place lies in its area and which came in while it was open (with
    `include_open`, also those still open when it opens). Safe to run twice; returns how
    many cases it added."""
    if incident.opened_at is None:
        return 0
    during = Q(created_at__gte=incident.opened_at)
    if incident.closed_at is not None:
        during &= Q(created_at__lt=incident.closed_at)
    if include_open:
        during |= Q(status=AskStatus.OPEN)
    candidates = (
        Ask.objects.filter(during, group_id__in=policy.inside(incident.group))
        .filter(cell__in=_public_cells(incident.cells))
        .exclude(pk__in=Case.objects.filter(incident=incident).values("ask"))
    )
    new = [
        Case(incident=incident, group_id=incident.group_id, ask=ask)
        for ask in candidates.iterator()
        if _inside(incident, ask)
    ]
    Case.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def file_new_ask(*, ask_id: int) -> int:
    """A new ask joins every open incident whose area and groups it is in (after it was
    committed: aid's ask_changed hook)."""
    ask = Ask.objects.filter(pk=ask_id).first()
    if ask is None or ask.group_id is None:
        return 0
    added = 0
    for incident in Incident.objects.filter(status=IncidentStatus.OPEN).select_related("group"):
        if ask.group_id not in policy.inside(incident.group) or not _inside(incident, ask):
            continue
        _case, created = Case.objects.get_or_create(
            incident=incident, ask=ask, defaults={"group_id": incident.group_id}
        )
        added += int(created)
    return added


def gather_open_incidents() -> int:
    """The worker's sweep: cases any handler missed, for every open incident."""
    return sum(
        gather_cases(incident=incident)
        for incident in Incident.objects.filter(status=IncidentStatus.OPEN).select_related("group")
    )


@transaction.atomic
def assess_case(*, case: Case, by: User, needs: list[str], answers: dict[str, Any]) -> Case:
    """Record the work a case needs and the answers to the incident's intake questions.
    Its responders only (policy.is_responder), while the incident is open."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("incident__group")
        .get(pk=case.pk)
    )
    incident = locked.incident
    if not policy.is_responder(by, incident):
        raise NotAllowed(
            _("Only members of %(group)s and volunteers who joined the incident assess its cases.")
            % {"group": incident.group.name}
        )
    if not incident.is_open:
        raise InvalidTransition(_("This incident is closed."))
    unknown = [w for w in needs if w not in incident.work_types]
    if unknown:
        raise InvalidInput(
            _("This incident does not coordinate %(work)s.") % {"work": unknown[0]},
            field="needs",
        )
    locked.needs = [w for w in WorkType.values if w in needs]
    locked.intake = intake.clean_answers(incident.intake_fields, answers)
    locked.save(update_fields=["needs", "intake"])
    return locked


def forget_ask(ask: Ask) -> None:
    """The ask's personal details are purged (privacy.erasure): so are the answers about
    its home. The case and its counts stay, for the incident's figures."""
    Case.objects.filter(ask=ask).update(intake={})
