"""`mutua area SLUG FILE.geojson`: set a group's area from GeoJSON (drawn, or a council's
published ward boundaries), stored as H3 cells."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core.errors import DomainError, NotFound
from mutua.groups import selectors, services


def pick(data: Any, value: str) -> dict[str, Any]:
    """The features of a FeatureCollection with a property equal to `value`."""
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise CommandError(_("--feature needs a FeatureCollection."))
    chosen = [
        feature
        for feature in features
        if isinstance(feature, dict)
        and isinstance(feature.get("properties"), dict)
        and value in {str(v) for v in feature["properties"].values()}
    ]
    if not chosen:
        raise CommandError(_("No feature has a property equal to %(value)s.") % {"value": value})
    return {"type": "FeatureCollection", "features": chosen}


class Command(BaseCommand):
    help = gettext_noop(
        "Set a group's area from a GeoJSON file (Polygon, MultiPolygon, Feature or "
        "FeatureCollection), stored as H3 cells. Asks already routed stay with their group."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("slug", help=_("the group's short name"))
        parser.add_argument("file", help=_("a GeoJSON file"))
        parser.add_argument(
            "--feature",
            metavar="VALUE",
            help=_("only the features with a property equal to VALUE (a ward's name or code)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            group = selectors.group_by_slug(options["slug"])
        except NotFound:
            raise CommandError(
                _("There is no group with the short name %(slug)s.") % {"slug": options["slug"]}
            ) from None
        try:
            data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(why)s") % {"file": options["file"], "why": exc}
            ) from None
        if options["feature"]:
            data = pick(data, options["feature"])
        try:
            services.set_group_area(group=group, cells=services.area_from_geojson(data))
        except DomainError as problem:
            raise CommandError(problem.message) from None
        group.refresh_from_db()
        self.stdout.write(
            _("%(group)s now covers %(km2).2f km² in %(cells)d cells.")
            % {"group": group.slug, "km2": group.area_km2, "cells": group.cells.count()}
        )
