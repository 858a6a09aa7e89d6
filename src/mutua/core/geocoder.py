"""The optional online geocoder (Nominatim or Photon, through geopy), off by default.

Privacy: whatever is sent here leaves the server (the words a person typed for their
place, sometimes their street), so mutua asks it only when the operator set
MUTUA_GEOCODER_URL and the offline sources found nothing near the network. Failures and
time-outs count as "nothing found": an ask never waits on a third party.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

MAX_RESULTS = 5


@dataclass(frozen=True)
class Hit:
    name: str
    lat: float
    lon: float


def enabled() -> bool:
    return bool(settings.MUTUA_GEOCODER_URL)


def geocode(text: str) -> list[Hit]:
    """Up to five places the geocoder finds for `text`, best first; [] when it is off,
    fails or finds nothing."""
    if not enabled() or not text.strip():
        return []
    from geopy.exc import GeopyError
    from geopy.geocoders import Nominatim, Photon

    url = urlsplit(settings.MUTUA_GEOCODER_URL)
    options = {
        "domain": url.netloc + url.path,
        "scheme": url.scheme or "https",
        "timeout": settings.MUTUA_GEOCODER_TIMEOUT,
        "user_agent": "mutua (mutual aid)",
    }
    kind = Photon if settings.MUTUA_GEOCODER_KIND == "photon" else Nominatim
    service = kind(**options)
    try:
        found = service.geocode(text, exactly_one=False, limit=MAX_RESULTS) or []
    except (GeopyError, OSError, ValueError) as error:
        # The text is not logged: it may be someone's address.
        logger.warning("geocoder failed: %s", type(error).__name__)
        return []
    return [
        Hit(str(hit.address).split(",")[0], float(hit.latitude), float(hit.longitude))
        for hit in found[:MAX_RESULTS]
    ]
