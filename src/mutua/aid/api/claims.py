"""The claims API: the asks a member took."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from mutua.aid import selectors
from mutua.aid.api.asks import ask_out
from mutua.aid.models import Claim
from mutua.aid.schemas import ClaimPage, ClaimQuery
from mutua.core.pagination import paginate
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.people.auth import bearer
from mutua.people.models import User

claims_router = Router(tags=["claims"])


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "outcome": claim.outcome,
        "claimed_at": claim.claimed_at,
        "ended_at": claim.ended_at,
        "ask": ask_out(claim.ask),
    }


@claims_router.get(
    "",
    response={200: ClaimPage, **errors(400, *TOKEN_ERRORS)},
    auth=bearer,
    summary="My claims",
)
def my_claims(request: HttpRequest, filters: Query[ClaimQuery]) -> dict[str, Any]:
    """The asks you took, newest first, optionally only those with one `outcome`. The ask
    is the public view; GET /asks/{id} shows the contact while the claim is active."""
    helper: User = request.auth  # type: ignore[attr-defined]
    claims = selectors.claims_of(helper)
    if filters.outcome:
        claims = claims.filter(outcome=filters.outcome)
    items, cursor = paginate(claims, cursor=filters.cursor, limit=filters.limit)
    return {"items": [_claim(c) for c in items], "next": cursor}
