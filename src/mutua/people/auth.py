"""Bearer-token authentication for the API (tokens come from `mutua token EMAIL`).

Each request with a token is checked in this order: the token exists and is not revoked,
its scope allows the method (read tokens only look), and the token is within its rate
limit (a fixed window of one minute in Django's cache).
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from mutua.core.errors import DomainError, NotAllowed
from mutua.people.models import ApiToken, TokenScope, User
from mutua.people.selectors import token_for_key
from mutua.people.services import record_token_use

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WINDOW_SECONDS = 60


class RateLimited(DomainError):
    """Too many requests with one token in the current window."""

    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _count_request(token: ApiToken) -> None:
    limit: int = settings.MUTUA_API_RATE_LIMIT
    if limit == 0:
        return
    now = time.time()
    window = int(now // _WINDOW_SECONDS)
    # Keyed by the token's hash, not its id: ids are reused by test databases and after
    # a restore, and a new token must start with a fresh allowance.
    key = f"mutua:api-rate:{token.key_hash[:24]}:{window}"
    cache.add(key, 0, timeout=_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr (a slow request at a window's edge).
        cache.set(key, 1, timeout=_WINDOW_SECONDS * 2)
        count = 1
    if count > limit:
        wait = max(1, math.ceil((window + 1) * _WINDOW_SECONDS - now))
        raise RateLimited(
            _(
                "Too many requests with this token: at most %(limit)d a minute. "
                "Try again in %(wait)d seconds."
            )
            % {"limit": limit, "wait": wait},
            retry_after=wait,
        )


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        record = token_for_key(token)
        if record is None or not record.user.is_active:
            return None
        if record.revoked_at is not None:
            raise AuthenticationError(
                401, _("This token was revoked; make a new one with `mutua token`.")
            )
        if record.scope == TokenScope.READ and request.method not in _SAFE_METHODS:
            raise NotAllowed(
                _("This token may only read; this needs a token made with --scope write.")
            )
        _count_request(record)
        record_token_use(token=record)
        request.api_token = record  # type: ignore[attr-defined]
        return record.user


bearer = BearerAuth()


# For the OpenAPI document of a route that calls optional_user: it works with no token
# (the empty requirement) or with one.
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{}, {"BearerAuth": []}]}


def optional_user(request: HttpRequest) -> User | None:
    """The token's user, None without an Authorization header, 401 for a bad token.

    A wrong token must not quietly fall back to anonymous: a script would then read
    the public view and never learn that its token was revoked.
    """
    if not request.headers.get("Authorization"):
        return None
    user: User | None = bearer(request)
    if user is None:
        raise AuthenticationError(401, _("The token is not valid."))
    return user


def current_token(request: HttpRequest) -> ApiToken | None:
    """The token the request was authenticated with, if any."""
    token: ApiToken | None = getattr(request, "api_token", None)
    return token
