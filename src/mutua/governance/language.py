"""The page language a group chose (a group setting, changed by proposal), for its members."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mutua.core import language
from mutua.governance.selectors import group_page_language
from mutua.people.models import User


def remember_group_language(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """On log-in (Django's user_logged_in), read once the default language of the member's
    most local group, used when neither the member nor the browser chose one."""
    if request is None:
        return
    language.remember_group_default(request, group_page_language(user))
