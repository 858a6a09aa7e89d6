"""Counting how often someone does something, in the cache every process shares.

Fixed windows: simple, and exact enough for limits meant to stop floods, not to meter.
Keys hold keyed hashes, never a network address or a contact in clear (the database
cache is a table like any other).
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest

from mutua.core.errors import DomainError
from mutua.core.hashing import keyed_hash

logger = logging.getLogger(__name__)


class TooMany(DomainError):
    """A limit was reached; `retry_after` is in seconds."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


def client_address(request: HttpRequest) -> str:
    """The address the request came from.

    Behind a proxy (MUTUA_BEHIND_PROXY) every request comes from the proxy, which
    appends the address it saw to X-Forwarded-For: the last entry is the one to trust,
    since a client can write anything in front of it.
    """
    if settings.MUTUA_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(kind: str, subject: str, window: int) -> str:
    return f"mutua:limit:{kind}:{keyed_hash(subject, purpose='limit:' + kind)[:32]}:{window}"


def _window(seconds: int) -> tuple[int, int]:
    now = time.time()
    window = int(now // seconds)
    wait = max(1, math.ceil((window + 1) * seconds - now))
    return window, wait


def reached(kind: str, subject: str, *, limit: int, seconds: int) -> int:
    """0 if `subject` may do `kind` once more, else the seconds until it may."""
    if limit <= 0 or not subject:
        return 0
    window, wait = _window(seconds)
    done = int(cache.get(_key(kind, subject, window), 0))
    return wait if done >= limit else 0


def record(kind: str, subject: str, *, seconds: int) -> None:
    """Count one more `kind` by `subject`.

    Called after the act is done and committed (an ask saved). If the count cannot be
    written because the database (the default cache) has just gone away, the act stands
    and the count is lost: failing here would answer "nothing was saved" about something
    that was, and the person would ask again.
    """
    if not subject:
        return
    window, _wait = _window(seconds)
    key = _key(kind, subject, window)
    try:
        cache.add(key, 0, timeout=seconds * 2)
        try:
            cache.incr(key)
        except ValueError:
            # The entry expired between add and incr (at a window's edge).
            cache.set(key, 1, timeout=seconds * 2)
    except DatabaseError as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        logger.warning("limit %s: one was not counted, the cache is unreachable (%s)", kind, reason)
