"""Reads for people."""

from __future__ import annotations

from django.db.models import QuerySet

from mutua.core.errors import NotFound
from mutua.people.models import ApiToken, Profile, User
from mutua.people.services import hash_token


def token_for_key(key: str) -> ApiToken | None:
    """The token with this key, revoked or not (so a caller can say which), or None."""
    return ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()


def user_for_token(key: str) -> User | None:
    """The account a working token belongs to; None if unknown, revoked or deactivated."""
    token = token_for_key(key)
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    return token.user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_of(*, user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; someone else's is as absent as a missing one."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(str(token_id))
    return token


def profile_of(user: User) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def profile_or_blank(user: User) -> Profile:
    """The member's profile, or an empty one, not saved, for an account that has none yet
    (made before profiles were created at sign-up, or by `createsuperuser`)."""
    return profile_of(user) or Profile(user=user)


def page_language(user: User) -> str:
    """The language the member chose for the pages, or "" if they have not chosen."""
    chosen = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return chosen or ""


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
