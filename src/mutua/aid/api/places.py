"""The place of an ask sent to `POST /api/v1/asks`: `{"lat", "lon"}` as given, or
`{"text"}` understood as the places API understands it (groups.selectors.places), with
the candidates to choose from when the words are not clear enough."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mutua.aid.schemas import AskPlaceIn, PlaceUnclearOut
from mutua.groups.schemas import PlaceOut
from mutua.groups.selectors import places


def _unclear(found: places.Resolution) -> str:
    if found.ambiguous:
        return _("%(text)s could mean several places: send the lat and lon of one.") % {
            "text": found.text
        }
    if found.candidates:
        return _(
            "%(text)s is far from every group here: send its lat and lon if it is really "
            "where help is needed."
        ) % {"text": found.text}
    return _(
        "We could not find %(text)s: send lat and lon, or a nearby town, district or postcode."
    ) % {"text": found.text}


def ask_point(place: AskPlaceIn, address: str) -> tuple[float, float] | PlaceUnclearOut:
    """The point of the ask, or why the place given as words is not clear enough."""
    if place.text is None:
        assert place.lat is not None and place.lon is not None  # the schema's rule
        return place.lat, place.lon
    found = places.understand(place.text, address)
    if found.chosen is not None:
        return found.chosen.point
    return PlaceUnclearOut(
        detail=_unclear(found),
        candidates=[PlaceOut.model_validate(places.as_item(c)) for c in found.choices],
    )
