"""Opening an incident (by the group's decision, or at once by a dispatcher with a decision
to confirm it afterwards), and closing it with its figures archived.

While an incident is open the group's automatic dispatch rounds run (matching's
RoundSchedule), at least every ROUND_MINUTES; closing puts back what the group had.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core import geo
from mutua.core.errors import InvalidInput, InvalidTransition, NotAllowed
from mutua.core.text import clean_text
from mutua.governance import services as governance
from mutua.governance.extensions import EffectRefused
from mutua.governance.models import LogKind, Proposal, ProposalKind
from mutua.groups.models import Group
from mutua.groups.services import area_from_geojson
from mutua.incidents import intake, policy, selectors
from mutua.incidents.models import Incident, IncidentStatus, IncidentType, WorkType
from mutua.incidents.services.cases import gather_cases
from mutua.matching import services as matching
from mutua.matching.models import RoundSchedule
from mutua.people.models import User

# How often dispatch rounds run during an incident, unless the group runs them oftener.
ROUND_MINUTES = 5
# Days the group has to decide on opening (or confirming) an incident, unless told.
DECISION_DAYS = 2
_MAX_CELLS = 20_000
# A city and its surroundings, or a stretch of coast: enough for one incident.
MAX_AREA_KM2 = 10_000.0


def _clean(
    *,
    name: str,
    kind: str,
    area: Any,
    work_types: list[str] | None,
    intake_fields: list[Any] | None,
) -> dict[str, Any]:
    name = clean_text(name, field="name", label=_("the incident's name"), limit=120, required=True)
    if kind not in IncidentType.values:
        raise InvalidInput(
            _("The type of incident must be one of: %(values)s.")
            % {"values": ", ".join(IncidentType.values)},
            field="kind",
        )
    if area is None or area == {} or area == []:
        raise InvalidInput(_("Draw the incident's area or give it as GeoJSON."), field="area")
    cells = _cells(area)
    chosen = work_types or list(WorkType.values)
    unknown = [w for w in chosen if w not in WorkType.values]
    if unknown:
        raise InvalidInput(
            _("Unknown type of work: %(work)s. Choose among: %(values)s.")
            % {"work": unknown[0], "values": ", ".join(WorkType.values)},
            field="work_types",
        )
    return {
        "name": name,
        "kind": kind,
        "cells": cells,
        "work_types": [w for w in WorkType.values if w in chosen],
        "intake_fields": intake.clean_fields(kind, intake_fields),
    }


def _cells(area: Any) -> list[str]:
    """The area as compacted H3 cells: a list of cells, or GeoJSON drawn or imported (the
    same reading as a group's area, `mutua area`). Areas too large to fill cell by cell
    (a continent drawn by mistake) are refused before anything is computed."""
    too_large = InvalidInput(
        _("This area is too large for an incident: draw the part that was hit."), field="area"
    )
    if isinstance(area, list) and all(isinstance(c, str) for c in area):
        bad = [c for c in area if not geo.is_cell(c)]
        if bad:
            raise InvalidInput(_("Not an H3 cell: %(cell)s") % {"cell": bad[0]}, field="area")
        cells = sorted(set(area))
    else:
        if _box_km2(area) > MAX_AREA_KM2:
            raise too_large
        cells = area_from_geojson(area)
    if len(cells) > _MAX_CELLS or geo.cells_area_km2(cells) > MAX_AREA_KM2:
        raise too_large
    return cells


def _box_km2(area: Any) -> float:
    """The area of the box around the GeoJSON's polygons; InvalidInput if it has none or
    its coordinates are not numbers."""
    points: list[tuple[float, float]] = []

    def visit(node: Any) -> None:
        # A position is [longitude, latitude], perhaps with an altitude.
        if (
            isinstance(node, list)
            and len(node) in (2, 3)
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in node)
        ):
            points.append((float(node[1]), float(node[0])))
        elif isinstance(node, list):
            for item in node:
                visit(item)
        else:
            raise ValueError(node)

    try:
        for polygon in geo.geojson_polygons(area):
            visit(polygon.get("coordinates"))
    except (geo.NotAnArea, ValueError, TypeError, AttributeError, RecursionError):
        raise InvalidInput(
            _(
                "That GeoJSON cannot be an area: give a Polygon or MultiPolygon, or a Feature "
                "or FeatureCollection of them."
            ),
            field="area",
        ) from None
    if not points or not all(geo.valid_point(lat, lon) for lat, lon in points):
        raise InvalidInput(_("The area's points must be longitude, latitude pairs."), field="area")
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    height = geo.haversine_km(min(lats), 0.0, max(lats), 0.0)
    middle = (min(lats) + max(lats)) / 2
    width = geo.haversine_km(middle, min(lons), middle, max(lons))
    return height * width


@transaction.atomic
def propose_incident(
    *,
    group: Group,
    by: User,
    name: str,
    kind: str,
    area: Any,
    work_types: list[str] | None = None,
    intake_fields: list[Any] | None = None,
    days: int = DECISION_DAYS,
    now: datetime | None = None,
) -> Incident:
    """Put opening an incident to the group: it opens when the proposal passes. Any member."""
    fields = _clean(
        name=name, kind=kind, area=area, work_types=work_types, intake_fields=intake_fields
    )
    kind_name = str(IncidentType(fields["kind"]).label).lower()
    return _create(
        group=group,
        by=by,
        fields=fields,
        title=_("Open the incident “%(name)s”") % {"name": fields["name"]},
        text=_(
            "If this passes, the group responds to the %(kind)s “%(name)s”: asks in its area "
            "become cases, groups of the network take types of work on them, volunteers "
            "from other groups may join, and dispatch rounds run until it is closed."
        )
        % {"kind": kind_name, "name": fields["name"]},
        days=days,
        now=now or timezone.now(),
    )


@transaction.atomic
def open_at_once(
    *,
    group: Group,
    by: User,
    name: str,
    kind: str,
    area: Any,
    work_types: list[str] | None = None,
    intake_fields: list[Any] | None = None,
    days: int = DECISION_DAYS,
    now: datetime | None = None,
) -> Incident:
    """A dispatcher opens an incident in an emergency, and a proposal asks the group to
    confirm it: if that does not pass, the incident closes (`not_carried`)."""
    if not policy.may_open_at_once(by, group):
        raise NotAllowed(
            _("Only the group's dispatchers open an incident at once; any member can propose one.")
        )
    fields = _clean(
        name=name, kind=kind, area=area, work_types=work_types, intake_fields=intake_fields
    )
    now = now or timezone.now()
    incident = _create(
        group=group,
        by=by,
        fields={**fields, "emergency": True},
        title=_("Confirm the incident “%(name)s”") % {"name": fields["name"]},
        text=_(
            "A dispatcher opened the incident “%(name)s” at once, in an emergency. If this "
            "does not pass, the incident closes and its figures are archived."
        )
        % {"name": fields["name"]},
        days=days,
        now=now,
    )
    _start(incident, by=by, now=now)
    return incident


def _create(
    *,
    group: Group,
    by: User,
    fields: dict[str, Any],
    title: str,
    text: str,
    days: int,
    now: datetime,
) -> Incident:
    proposal = governance.open_proposal(
        group=group,
        author=by,
        kind=ProposalKind.INCIDENT,
        title=title,
        text=text,
        days=days,
        external=True,
        now=now,
    )
    return Incident.objects.create(group=group, opened_by=by, proposal=proposal, **fields)


def _start(incident: Incident, *, by: User | None, now: datetime) -> None:
    incident.status = IncidentStatus.OPEN
    incident.opened_at = now
    schedule = RoundSchedule.objects.filter(group=incident.group).first()
    before = schedule.every_minutes if schedule is not None else 0
    if not 0 < before <= ROUND_MINUTES:
        matching.set_round_schedule(
            group=incident.group, every_minutes=ROUND_MINUTES, proposal=incident.proposal, now=now
        )
        incident.rounds_before, incident.rounds_set_at = before, now
    elif schedule is not None:
        # Another incident of the group set these rounds: whichever closes last puts
        # back what the group had before the first.
        setter = Incident.objects.filter(
            group=incident.group,
            status=IncidentStatus.OPEN,
            rounds_set_at=schedule.changed_at,
        ).first()
        if setter is not None:
            incident.rounds_before, incident.rounds_set_at = (
                setter.rounds_before,
                setter.rounds_set_at,
            )
    incident.save()
    gather_cases(incident=incident, include_open=True)
    governance.record_in_history(
        group=incident.group, kind=LogKind.INCIDENT_OPENED, actor=by, detail=incident.name
    )


def carry_out(*, proposal: Proposal, now: datetime) -> None:
    """A passed incident proposal: open the incident, or confirm the one a dispatcher
    opened; EffectRefused when it was closed meanwhile."""
    incident = _locked(proposal)
    if incident is None:
        raise EffectRefused(_("the incident is no longer there"))
    if incident.status == IncidentStatus.PROPOSED:
        incident.confirmed_at = now
        _start(incident, by=incident.opened_by, now=now)
    elif incident.is_open:
        incident.confirmed_at = now
        incident.save(update_fields=["confirmed_at"])
    else:
        raise EffectRefused(_("the incident was closed before the decision"))


def not_carried(*, proposal: Proposal, now: datetime) -> None:
    """The proposal did not pass or was withdrawn: a proposed incident is not opened, and
    one a dispatcher opened at once closes, its figures archived."""
    incident = _locked(proposal)
    if incident is None:
        return
    if incident.status == IncidentStatus.PROPOSED:
        incident.status = IncidentStatus.NOT_OPENED
        incident.save(update_fields=["status"])
    elif incident.is_open and incident.confirmed_at is None:
        _close(incident, by=None, now=now)


def _locked(proposal: Proposal) -> Incident | None:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("group", "proposal")
        .filter(proposal=proposal)
        .first()
    )


@transaction.atomic
def close_incident(*, incident: Incident, by: User, now: datetime | None = None) -> Incident:
    """A dispatcher closes the incident: its figures are archived as they stand, its
    cases go back to being plain asks, and the group's dispatch rounds are as before."""
    if not policy.may_close(by, incident):
        raise NotAllowed(_("Only the group's dispatchers close an incident."))
    locked = (
        Incident.objects.select_for_update(of=("self",)).select_related("group").get(pk=incident.pk)
    )
    if not locked.is_open:
        raise InvalidTransition(
            _("This incident is %(status)s.") % {"status": locked.get_status_display().lower()}
        )
    _close(locked, by=by, now=now or timezone.now())
    return locked


def _close(incident: Incident, *, by: User | None, now: datetime) -> None:
    gather_cases(incident=incident)
    incident.status = IncidentStatus.CLOSED
    incident.closed_at, incident.closed_by = now, by
    incident.figures = selectors.figures(incident)
    incident.save()
    _restore_rounds(incident, now=now)
    governance.record_in_history(
        group=incident.group, kind=LogKind.INCIDENT_CLOSED, actor=by, detail=incident.name
    )


def _restore_rounds(incident: Incident, *, now: datetime) -> None:
    """Put the group's rounds back as they were, unless the group decided on them (or
    another incident set them) since this one did."""
    if incident.rounds_before is None or incident.rounds_set_at is None:
        return
    schedule = RoundSchedule.objects.filter(group=incident.group).first()
    if schedule is None or schedule.changed_at != incident.rounds_set_at:
        return
    if Incident.objects.filter(group=incident.group, status=IncidentStatus.OPEN).exists():
        return  # another incident of the group still needs them; it puts them back
    matching.set_round_schedule(
        group=incident.group, every_minutes=incident.rounds_before, proposal=None, now=now
    )
