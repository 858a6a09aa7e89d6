"""The board's list, rendered once and shared by everyone who asks for the same view.

At a surge thousands of people load the same few board views, and rendering 25 cards
costs several times what the rest of the page does. The rendered list is kept in
Django's cache under a key naming everything it depends on (the filters, the page, the
language) and the board's generation: the time of the latest change to any ask (every
service that changes an ask sets its `updated_at`; one read of an index). A kept list
therefore never outlives a change of an ask; only the "3 minutes ago" on its cards may
be up to MUTUA_BOARD_CACHE_SECONDS old. Nothing personal is in it: no contact, no exact
place, nothing about who looks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils.safestring import SafeString

from mutua.aid.models import Ask


def rendered(parts: tuple[object, ...], render: Callable[[], str]) -> str:
    """The list for this view: kept, or rendered now by `render` and kept."""
    seconds = settings.MUTUA_BOARD_CACHE_SECONDS
    if not seconds:
        return render()
    generation = Ask.objects.aggregate(latest=Max("updated_at"))["latest"]
    digest = hashlib.sha256(repr((generation, *parts)).encode()).hexdigest()[:32]
    key = f"mutua.aid.board.{digest}"
    kept: str | None = cache.get(key)
    if kept is not None:
        # Our own rendering of a template, kept as text: safe as it was when rendered.
        return SafeString(kept)
    html = render()
    cache.set(key, str(html), seconds)
    return html
