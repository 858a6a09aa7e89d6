"""`mutua incident`: the incidents on this server and their figures.

mutua incident list [--group SLUG] [--status STATUS]
mutua incident show ID
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core.errors import NotFound
from mutua.groups.commandline import group_option
from mutua.incidents import selectors
from mutua.incidents.models import IncidentStatus


class Command(BaseCommand):
    help = gettext_noop(
        "List incidents (one a line: id, group, status, type, name), or show one incident "
        "with its figures as JSON (archived ones as they stood at closing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = commands.add_parser("list", help=_("the incidents, newest first"))
        listing.add_argument("--group", metavar="SLUG", help=_("one group's incidents only"))
        listing.add_argument(
            "--status", choices=IncidentStatus.values, help=_("only incidents in this state")
        )
        show = commands.add_parser("show", help=_("one incident and its figures, as JSON"))
        show.add_argument("id", type=int, help=_("the incident's number"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options["group"], options["status"] or "")
        else:
            self._show(options["id"])

    def _list(self, slug: str | None, status: str) -> None:
        group = group_option(slug) if slug is not None else None
        for incident in selectors.incidents(group=group, status=status):
            self.stdout.write(
                "\t".join(
                    [
                        str(incident.pk),
                        incident.group.slug,
                        incident.status,
                        incident.kind,
                        incident.name,
                    ]
                )
            )

    def _show(self, incident_id: int) -> None:
        try:
            incident = selectors.incident_by_id(incident_id)
        except NotFound:
            raise CommandError(
                _("There is no incident number %(id)d.") % {"id": incident_id}
            ) from None
        shown = {
            "id": incident.pk,
            "group": incident.group.slug,
            "name": incident.name,
            "kind": incident.kind,
            "status": incident.status,
            "emergency": incident.emergency,
            "confirmed_at": incident.confirmed_at.isoformat() if incident.confirmed_at else None,
            "opened_at": incident.opened_at.isoformat() if incident.opened_at else None,
            "closed_at": incident.closed_at.isoformat() if incident.closed_at else None,
            "work_types": incident.work_types,
            "figures": selectors.current_figures(incident),
        }
        self.stdout.write(json.dumps(shown, indent=2))
