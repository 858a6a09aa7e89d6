"""Writes for people: accounts, profiles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core import geo
from mutua.core.categories import Category
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.core.text import clean_email, clean_text, is_language_code
from mutua.people.models import ApiToken, Profile, TokenScope, User

TOKEN_PREFIX = "mt_"  # noqa: S105 (a visible prefix, not a secret)
_MAX_ASKS_AT_ONCE = 20


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_account(*, email: str, password: str | None = None, display_name: str = "") -> User:
    """Create an account with an empty profile. Without a password, the account can't log in."""
    email = clean_email(email, field="email").lower()
    display_name = _display_name(display_name)
    taken = _("An account with this email already exists.")
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(taken, field="email")
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password)
    except IntegrityError:
        # Signed up twice at once (a double click): the other request made the account.
        raise InvalidInput(taken, field="email") from None
    Profile.objects.create(user=user, display_name=display_name)
    return user


def _display_name(value: str) -> str:
    return clean_text(value, field="display_name", label=_("display name"), limit=80)


def ensure_profile(*, user: User) -> Profile:
    """The user's profile, created empty if the account has none (sign-up, or an account
    made before profiles were created with it). Only for writes: pages read with
    `selectors.profile_or_blank`, so that a GET never writes."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_profile(
    *,
    user: User,
    display_name: str,
    languages: list[str],
    skills: list[str],
    travel_radius_km: int,
    home: tuple[float, float] | None,
    available_days: list[int],
    available_from: time | None = None,
    available_to: time | None = None,
    paused: bool = False,
    max_asks_at_once: int | None = None,
) -> Profile:
    """Save what a member says about themselves. Only a coarse home cell is kept.

    `max_asks_at_once` left as None keeps what was saved before.
    """
    unknown = [s for s in skills if s not in Category.values]
    if unknown:
        raise InvalidInput(_("Unknown kind of help: %(s)s") % {"s": unknown[0]}, field="skills")
    if not 0 <= travel_radius_km <= 500:
        raise InvalidInput(
            _("Travel radius must be between 0 and 500 km."), field="travel_radius_km"
        )
    if max_asks_at_once is not None and not 1 <= max_asks_at_once <= _MAX_ASKS_AT_ONCE:
        raise InvalidInput(
            _("You can take on between 1 and %(most)d asks at once.") % {"most": _MAX_ASKS_AT_ONCE},
            field="max_asks_at_once",
        )
    if any(d not in range(7) for d in available_days):
        raise InvalidInput(_("Days must be 0 (Monday) to 6 (Sunday)."), field="available_days")
    display_name = _display_name(display_name)
    codes = {lang.strip().lower() for lang in languages if lang.strip()}
    bad_codes = sorted(c for c in codes if not is_language_code(c))
    if bad_codes:
        raise InvalidInput(
            _("Not a language code: %(code)s (use codes such as en or bn).")
            % {"code": bad_codes[0]},
            field="languages",
        )
    profile = ensure_profile(user=user)
    fields: dict[str, Any] = {
        "display_name": display_name,
        "languages": sorted(codes),
        "skills": sorted(set(skills)),
        "travel_radius_km": travel_radius_km,
        "available_days": sorted(set(available_days)),
        "available_from": available_from,
        "available_to": available_to,
        "paused": paused,
    }
    if max_asks_at_once is not None:
        fields["max_asks_at_once"] = max_asks_at_once
    if home is not None:
        if not geo.valid_point(*home):
            raise InvalidInput(_("That place is not on the map."), field="home")
        cell = geo.public_cell(*home)
        fields["home_cell"] = cell
        # The centre of the cell, not the point given: nobody's door is stored.
        fields["home_lat"], fields["home_lon"] = geo.cell_center(cell)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def set_page_language(*, user: User, language: str) -> Profile:
    """Keep the language the member chose for the pages; "" forgets the choice."""
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInput(
            _("The pages are not translated into %(code)s.") % {"code": language},
            field="language",
        )
    profile = ensure_profile(user=user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
    return profile


def record_token_use(*, token: ApiToken, now: datetime | None = None) -> ApiToken:
    """Remember when a token was last used, at most once a minute: a busy script must not
    turn every read into a write."""
    now = now or timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def issue_token(*, user: User, name: str = "", scope: str = TokenScope.WRITE) -> str:
    """Create an API token for the user and return it; only its hash is kept.

    A read token may only look (GET); a write token may also act for the person.
    """
    if scope not in TokenScope.values:
        raise InvalidInput(
            _("A token's scope is read or write, not %(scope)s.") % {"scope": scope},
            field="scope",
        )
    name = clean_text(name, field="name", label=_("name"), limit=80)
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(key), name=name, scope=scope)
    return key


@transaction.atomic
def revoke_token(*, token: ApiToken, user: User) -> ApiToken:
    """Stop a token working at once. Only its owner may; revoking twice changes nothing."""
    if token.user_id != user.pk:
        raise NotAllowed(_("Only the owner of a token can revoke it."))
    # Conditional, so a second revocation (or two at once) keeps the first time.
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def end_sessions(*, user: User) -> int:
    """Sign the person out everywhere: delete every session of theirs from the session
    store, so a browser left signed in (stolen, shared, forgotten) keeps nothing. Returns
    how many were ended."""
    store_class: Any = import_module(settings.SESSION_ENGINE).SessionStore
    # Only a store kept in the database can be searched by person; the cookie and cache
    # stores are not, and there changing the password hash (as erasure does) is what
    # makes their sessions worthless.
    if not hasattr(store_class, "get_model_class"):
        return 0
    # A session names its person only inside its encoded data, so each live one is read.
    live = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    ended = 0
    for session_key, session_data in live.values_list("session_key", "session_data").iterator():
        store = store_class(session_key)
        if store.decode(session_data).get(SESSION_KEY) == str(user.pk):
            store.delete(session_key)
            ended += 1
    return ended
