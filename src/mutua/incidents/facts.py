"""What a group's page says of incidents under way (registered with groups.extensions at
start-up): its own, and those of the networks it is part of, whose cases may be its asks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mutua.groups.models import Group
from mutua.groups.selectors import ancestors_of
from mutua.incidents import selectors
from mutua.incidents.models import IncidentStatus


def page_facts(group: Group) -> list[tuple[str, str]]:
    under_way = selectors.incidents(status=IncidentStatus.OPEN).filter(
        group__in=[group, *ancestors_of(group)]
    )
    return [
        (_("Incident under way"), f"{incident.name} ({incident.group.name})")
        for incident in under_way
    ]
