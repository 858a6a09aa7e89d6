from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.MUTUA_SITE_NAME,
        "tile_url": settings.MUTUA_TILE_URL,
        "tile_attribution": settings.MUTUA_TILE_ATTRIBUTION,
        # The page's summary for search engines and link previews; a view may say better.
        "page_description": _(
            "Neighbours helping neighbours: ask for help without an account, or offer it. "
            "Only the person who comes sees your address."
        ),
    }
