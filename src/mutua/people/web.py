"""Who is making a web request, for the views of every app, and their page language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mutua.core import language
from mutua.people.models import User
from mutua.people.selectors import page_language


def signed_in(request: HttpRequest) -> User | None:
    """The account signed in on this request, or None for a visitor."""
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def remember_page_language(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """On log-in (Django's user_logged_in), the member's saved choice of page language takes
    over from whatever this browser used."""
    if request is None:
        return
    chosen = page_language(user)
    if chosen:
        language.remember(request, chosen)
    else:
        language.forget(request)
