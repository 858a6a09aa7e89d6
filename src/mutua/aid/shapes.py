"""The public shape of an ask and of an offer: what anyone may see of them.

One function each, used by every channel that shows them outside the site's pages: the
API (aid.api, and the dispatch suggestions of matching.api), the webhooks and the CSV/JSON
export (exchange). Values are Python values (datetimes stay datetimes); each channel renders
them, and adds only what is its own, documented where it does so:

- API: `distance_km` on the board (null elsewhere); `access`, `place`, `contact` on one
  ask for those the group lets see them (aid.api);
- webhooks: `status` as of the event, times as ISO 8601 text (exchange.services.webhooks);
- export: the area flattened into `area_cell`, `area_name`, `area_lat`, `area_lon`, and
  contact columns on request (exchange.services.exports).

Never a contact detail or the exact place: those go through the reveal rules.
"""

from __future__ import annotations

from typing import Any

from mutua.aid.models import Ask, Offer


def public_area(ask: Ask) -> dict[str, Any]:
    """Where the ask is, coarsely: its H3 cell, the group area's name and the cell centre."""
    return {"cell": ask.cell, "name": ask.area_name, "lat": ask.public_lat, "lon": ask.public_lon}


def public_ask(ask: Ask) -> dict[str, Any]:
    """An ask as the public board shows it."""
    return {
        "id": ask.pk,
        "status": ask.status,
        "what": ask.what,
        "category": ask.category,
        "urgency": ask.urgency,
        "language": ask.language,
        "area": public_area(ask),
        "group": ask.group.slug if ask.group else None,
        "created_at": ask.created_at,
        "expires_at": ask.expires_at,
    }


def public_offer(offer: Offer) -> dict[str, Any]:
    """An offer as anyone sees it: the member by display name, never their email."""
    return {
        "id": offer.pk,
        "kind": offer.kind,
        "category": offer.category,
        "what": offer.what,
        "group": offer.group.slug if offer.group else None,
        "member": offer.member.display_name,
        "active": offer.active,
        "created_at": offer.created_at,
    }
