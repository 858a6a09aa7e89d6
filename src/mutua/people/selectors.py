"""Reads for people."""

from __future__ import annotations

from django.utils import timezone

from mutua.people.models import ApiToken, User
from mutua.people.services import hash_token


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
    if token is None or not token.user.is_active:
        return None
    # Touch at most once a minute: a busy script must not turn every read into a write.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
