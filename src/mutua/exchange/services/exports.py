"""Exporting asks, offers or members as rows of plain values, contact details only on
request and each reveal logged."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.aid.disclosure import Channel
from mutua.aid.models import Ask, Offer
from mutua.aid.policy import Actor
from mutua.aid.shapes import public_ask, public_offer
from mutua.core.errors import InvalidInput
from mutua.exchange import selectors
from mutua.groups.models import Group
from mutua.privacy.services import reveal
from mutua.resources import selectors as resources_selectors

logger = logging.getLogger(__name__)

EXPORT_COLUMNS: dict[str, tuple[list[str], list[str]]] = {
    # kind: (columns anyone running the server may export, contact columns)
    "asks": (
        [
            "id",
            "status",
            "what",
            "category",
            "urgency",
            "language",
            "group",
            "area_cell",
            "area_name",
            "area_lat",
            "area_lon",
            "created_at",
            "expires_at",
        ],
        ["lat", "lon", "address", "name", "phone", "email", "consent_at"],
    ),
    # The open ledger: every member sees it already, so nothing is held back.
    "ledger": (resources_selectors.LEDGER_COLUMNS, []),
    "offers": (
        ["id", "kind", "category", "what", "group", "member", "active", "created_at"],
        ["email"],
    ),
    "members": (
        [
            "id",
            "name",
            "group",
            "joined_at",
            "languages",
            "skills",
            "travel_radius_km",
            "home_cell",
            "paused",
        ],
        ["email"],
    ),
}


@dataclass
class ExportTable:
    kind: str
    columns: list[str]
    rows: list[dict[str, Any]]


def _ask_row(ask: Ask, with_contact: bool) -> dict[str, Any]:
    """The ask's public shape with its area flattened into `area_*` columns, then, on
    request, the contact columns."""
    row = public_ask(ask)
    area = row.pop("area")
    row.update(
        area_cell=area["cell"], area_name=area["name"], area_lat=area["lat"], area_lon=area["lon"]
    )
    if with_contact:
        row.update(
            lat=ask.lat,
            lon=ask.lon,
            address=ask.address,
            name=ask.contact_name,
            phone=ask.contact_phone,
            email=ask.contact_email,
            consent_at=ask.consent_at,
        )
    return row


def _offer_row(offer: Offer, with_contact: bool) -> dict[str, Any]:
    """The offer's public shape, then, on request, the member's email."""
    row = public_offer(offer)
    if with_contact:
        row["email"] = offer.member.email
    return row


@transaction.atomic
def export_table(*, kind: str, group: Group | None, with_contact: bool) -> ExportTable:
    """Everything of `kind` (of one group, or all), as rows of plain values.

    Contact details (exact place, address, phone, email) only `with_contact`. Only the
    person running the server can ask for that (the `mutua export` command); each ask
    whose details are exported is logged in the access log, as a reveal on a page is.
    """
    if kind not in EXPORT_COLUMNS:
        raise InvalidInput(_("Cannot export %(kind)s.") % {"kind": kind}, field="kind")
    public, contact = EXPORT_COLUMNS[kind]
    names = public + (contact if with_contact else [])
    rows: list[dict[str, Any]] = []
    if kind == "asks":
        for ask in selectors.asks_to_export(group).iterator(chunk_size=2000):
            # privacy decides (an erased ask has nothing left to show) and logs each reveal.
            shown = with_contact and reveal(viewer=Actor(), ask=ask, channel=Channel.EXPORT).allowed
            rows.append(_ask_row(ask, shown))
    elif kind == "ledger":
        if group is None:
            raise InvalidInput(_("Say whose ledger to export: --group SLUG."), field="group")
        rows = resources_selectors.ledger_rows(group)
    elif kind == "offers":
        rows = [_offer_row(o, with_contact) for o in selectors.offers_to_export(group)]
    else:
        for membership in selectors.memberships_to_export(group).iterator(chunk_size=2000):
            user = membership.user
            profile = getattr(user, "profile", None)
            row: dict[str, Any] = {
                "id": user.pk,
                "name": user.display_name,
                "group": membership.group.slug,
                "joined_at": membership.joined_at,
                "languages": profile.languages if profile else [],
                "skills": profile.skills if profile else [],
                "travel_radius_km": profile.travel_radius_km if profile else None,
                "home_cell": profile.home_cell if profile else "",
                "paused": profile.paused if profile else False,
            }
            if with_contact:
                row["email"] = user.email
            rows.append(row)
    if with_contact and kind not in ("asks", "ledger"):
        # The access log is per ask; other contact exports leave their mark in the log.
        logger.warning(
            "Exported the email addresses of %d %s%s.",
            len(rows),
            kind,
            f" of {group.slug}" if group else "",
        )
    return ExportTable(kind=kind, columns=names, rows=rows)
