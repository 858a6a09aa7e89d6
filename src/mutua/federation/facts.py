"""The linked servers' figures on the group's page (registered with mutua.groups.extensions
at start-up): the group that made a link sees how the other side is doing."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mutua.federation.models import Link
from mutua.groups.models import Group


def page_facts(group: Group) -> list[tuple[str, str]]:
    rows = []
    for link in Link.objects.filter(group=group, figures_at__isnull=False):
        if not link.is_active or link.figures_at is None:
            continue
        figures = link.their_figures
        rows.append(
            (
                _("Linked with %(name)s") % {"name": link.name},
                _("%(open)d open asks, %(claimed)d taken, %(done)d done (as of %(at)s)")
                % {
                    "open": figures.get("open", 0),
                    "claimed": figures.get("claimed", 0),
                    "done": figures.get("done", 0),
                    "at": formats.date_format(
                        timezone.localtime(link.figures_at), "SHORT_DATETIME_FORMAT"
                    ),
                },
            )
        )
    return rows
