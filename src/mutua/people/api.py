"""The member's own profile and API tokens, through the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from mutua.core.pagination import paginate
from mutua.core.schemas import TOKEN_ERRORS, PageQuery, errors
from mutua.people import selectors, services
from mutua.people.auth import bearer, current_token
from mutua.people.models import ApiToken, Profile, User
from mutua.people.schemas import ProfileIn, ProfileOut, TokenOut, TokenPage

router = Router(tags=["me"])


def _profile(user: User, profile: Profile) -> dict[str, Any]:
    home = None
    if profile.home_cell and profile.home_lat is not None and profile.home_lon is not None:
        home = {"cell": profile.home_cell, "lat": profile.home_lat, "lon": profile.home_lon}
    return {
        "email": user.email,
        "display_name": profile.display_name,
        "languages": profile.languages,
        "skills": profile.skills,
        "travel_radius_km": profile.travel_radius_km,
        "max_asks_at_once": profile.max_asks_at_once,
        "home": home,
        "available_days": profile.available_days,
        "available_from": profile.available_from,
        "available_to": profile.available_to,
        "paused": profile.paused,
    }


def _token(token: ApiToken, current: ApiToken | None) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "scope": token.scope,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "current": current is not None and current.pk == token.pk,
    }


@router.get("", response={200: ProfileOut, **errors(*TOKEN_ERRORS)}, auth=bearer, summary="Me")
def get_profile(request: HttpRequest) -> dict[str, Any]:
    """Your own profile: what you told the group about yourself. Home is a ~1 km cell."""
    user: User = request.auth  # type: ignore[attr-defined]
    return _profile(user, selectors.profile_or_blank(user))


@router.put(
    "",
    response={200: ProfileOut, **errors(400, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Change my profile",
)
def put_profile(request: HttpRequest, payload: ProfileIn) -> dict[str, Any]:
    """Replace your profile with what is sent (everything is optional, nothing proves
    need). Only the ~1 km cell of `home` is kept, never the point sent."""
    user: User = request.auth  # type: ignore[attr-defined]
    profile = services.update_profile(
        user=user,
        display_name=payload.display_name,
        languages=payload.languages,
        skills=payload.skills,
        travel_radius_km=payload.travel_radius_km,
        home=(payload.home.lat, payload.home.lon) if payload.home else None,
        available_days=payload.available_days,
        available_from=payload.available_from,
        available_to=payload.available_to,
        paused=payload.paused,
        max_asks_at_once=payload.max_asks_at_once,
    )
    return _profile(user, profile)


@router.get(
    "/tokens",
    response={200: TokenPage, **errors(400, *TOKEN_ERRORS)},
    auth=bearer,
    summary="My API tokens",
)
def list_tokens(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Your tokens, newest first, revoked ones included. The secret itself is never shown
    again after `mutua token` printed it."""
    user: User = request.auth  # type: ignore[attr-defined]
    items, cursor = paginate(selectors.tokens_of(user), cursor=page.cursor, limit=page.limit)
    current = current_token(request)
    return {"items": [_token(t, current) for t in items], "next": cursor}


@router.post(
    "/tokens/{int:token_id}/revoke",
    response={200: TokenOut, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Revoke one of my tokens",
)
def revoke_token(request: HttpRequest, token_id: int) -> dict[str, Any]:
    """The token stops working at once (401 from then on); revoking twice is harmless. A
    token may revoke itself."""
    user: User = request.auth  # type: ignore[attr-defined]
    token = services.revoke_token(token=selectors.token_of(user=user, token_id=token_id), user=user)
    return _token(token, current_token(request))
