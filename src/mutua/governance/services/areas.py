"""A group changes its own area on the map by deciding it: any member draws the new area
(or uploads it as GeoJSON, as councils publish ward boundaries) on the group's area page,
which opens a `change-area` proposal holding the cells. When it passes, the group's area
is replaced and the history says so. Asks already routed stay where they are; new asks
follow the new area, under the usual routing rules (an established group already there
must agree before a newcomer takes asks in the streets they share)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from mutua.core import geo
from mutua.governance.models import AreaProposal, LogKind, Proposal, ProposalKind
from mutua.governance.services._common import _log
from mutua.governance.services.proposals import open_proposal
from mutua.groups import selectors as group_selectors
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import User

PROPOSAL_DAYS = 7


@transaction.atomic
def propose_area(
    *, group: Group, author: User, geojson: object, days: int = PROPOSAL_DAYS
) -> Proposal:
    """Open a proposal to give `group` the area drawn or uploaded as `geojson` (a
    Polygon, MultiPolygon, Feature or FeatureCollection). Any member may. The area is
    turned into cells now, so the group decides on an area that can be stored;
    InvalidInput (field "area") says why one cannot."""
    cells = group_services.clean_area_cells(group_services.area_from_geojson(geojson))
    km2 = geo.cells_area_km2(cells)
    overlaps = group_selectors.groups_overlapping_cells(frozenset(cells), exclude=group)
    text = _(
        "If this passes, the group's area on the map becomes the one proposed with this "
        "(%(km2)s km²; now %(old)s km²). Asks already with the group stay; new asks from "
        "the new area come to the group."
    ) % {"km2": _km2(km2), "old": _km2(group.area_km2)}
    if overlaps:
        text += "\n\n" + _(
            "The new area shares streets with: %(groups)s. Where an established group is "
            "already there, it must agree before this group takes asks in those streets."
        ) % {"groups": ", ".join(other.name for other in overlaps)}
    proposal = open_proposal(
        group=group,
        author=author,
        kind=ProposalKind.CHANGE_AREA,
        title=_("Change our area on the map"),
        text=text,
        days=days,
        external=True,
    )
    AreaProposal.objects.create(group=group, proposal=proposal, cells=cells, area_km2=km2)
    return proposal


def change_area_by_decision(proposal: Proposal, *, now: datetime) -> None:
    """The effect of a passed `change-area` proposal, inside the closing transaction."""
    new = AreaProposal.objects.select_for_update().get(proposal=proposal)
    group_services.set_group_area(group=proposal.group, cells=list(new.cells))
    new.applied_at = now
    new.save(update_fields=["applied_at"])
    _log(proposal.group, LogKind.AREA_CHANGED, at=now, proposal=proposal, detail=_km2(new.area_km2))


def _km2(value: float) -> str:
    return str(formats.number_format(round(value, 1), 1))
