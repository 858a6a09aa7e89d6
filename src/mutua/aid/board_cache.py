"""The board, rendered once and shared by everyone who asks for the same view.

At a surge thousands of people load the same few board views, and rendering the page
costs several times what Django's own handling of a request does. The rendered list, and
the whole page around it when nothing in it is personal, are kept under a key naming
everything they depend on (the filters, the page, the language, the address) and the
board's generation: the time of the latest change to any ask (every service that changes
an ask sets its `updated_at`; one read of an index). A kept page therefore never outlives
a change of an ask; only the "3 minutes ago" on its cards may be up to
MUTUA_BOARD_CACHE_SECONDS old. Nothing personal is in it: no contact, no exact place,
nothing about who looks (the CSRF token is put in per request by the view).

Each web process keeps what it used last in its own memory, in front of Django's cache
(shared by the processes, a database table by default): a kept page then costs one query,
the generation, and no read of the cache. The list, the costly part, is also shared
through Django's cache; the page around it is kept by each process only, since
rendering it around a kept list costs less than keeping it in the database would.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from mutua.aid.models import Ask

# Enough for the views a crowd loads at once (a few places, filters and pages, in a few
# languages); the least recently used goes first. A page is ~40 KB.
LOCAL_ENTRIES = 256

_local: OrderedDict[str, tuple[float, str]] = OrderedDict()
_local_lock = threading.Lock()


def generation() -> object:
    """The board's generation, read once a request and passed to `rendered`: only ever
    compared, so it is read as the database gives it, without the ORM's compiling of an
    aggregate on every request (a third of a kept page's time in the view)."""
    if not settings.MUTUA_BOARD_CACHE_SECONDS:
        return None
    quote = connection.ops.quote_name
    table, column = Ask._meta.db_table, Ask._meta.get_field("updated_at").column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def rendered(
    generation: object,
    parts: tuple[object, ...],
    render: Callable[[], str],
    *,
    shared: bool = True,
) -> SafeString:
    """The HTML for this view: kept, or rendered now by `render` and kept. Kept in this
    process only, unless `shared`: then in Django's cache too, for the other processes."""
    seconds = settings.MUTUA_BOARD_CACHE_SECONDS
    if not seconds:
        return mark_safe(render())  # noqa: S308 (our own rendering of a template)
    digest = hashlib.sha256(repr((generation, *parts)).encode()).hexdigest()[:32]
    key = f"mutua.aid.board.{digest}"
    now = time.monotonic()
    with _local_lock:
        local = _local.get(key)
        if local is not None and local[0] > now:
            _local.move_to_end(key)
            # Our own rendering of a template, kept as text: safe as it was when rendered.
            return SafeString(local[1])
    html: str | None = cache.get(key) if shared else None
    if html is None:
        html = str(render())
        if shared:
            cache.set(key, html, seconds)
    with _local_lock:
        _local[key] = (now + seconds, html)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return SafeString(html)


def forget_local() -> None:
    """Drop what this process keeps in memory (Django's cache is left as it is)."""
    with _local_lock:
        _local.clear()


def _on_setting_changed(**kwargs: object) -> None:
    # A page rendered under other settings (site name, languages, ...) is not this one.
    forget_local()


setting_changed.connect(_on_setting_changed)
