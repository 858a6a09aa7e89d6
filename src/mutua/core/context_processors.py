from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.MUTUA_SITE_NAME,
        "tile_url": settings.MUTUA_TILE_URL,
        "tile_attribution": settings.MUTUA_TILE_ATTRIBUTION,
    }
