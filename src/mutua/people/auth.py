"""Bearer-token authentication for the API (tokens come from `mutua token EMAIL`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from mutua.people.models import User
from mutua.people.selectors import user_for_token


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return user_for_token(token)


bearer = BearerAuth()


def optional_user(request: HttpRequest) -> User | None:
    """The token's user, None without an Authorization header, 401 for a bad token.

    A wrong token must not quietly fall back to anonymous: a script would then read
    the public view and never learn that its token was revoked.
    """
    if not request.headers.get("Authorization"):
        return None
    user: User | None = bearer(request)
    if user is None:
        raise AuthenticationError(401, "The token is not valid.")
    return user
