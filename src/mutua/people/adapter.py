"""How django-allauth's sign-up creates an account here: with its profile, at once, so
that no page has to create one later on a GET."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.http import HttpRequest

from mutua.people.models import User
from mutua.people.services import ensure_profile


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        with transaction.atomic():
            saved: User = super().save_user(request, user, form, commit=commit)
            if commit:
                ensure_profile(user=saved)
        return saved
