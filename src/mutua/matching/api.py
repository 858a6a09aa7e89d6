"""The suggestions API: a helper answers the asks dispatch suggested to them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from mutua.aid.api.asks import ask_out
from mutua.core.pagination import paginate
from mutua.core.schemas import TOKEN_ERRORS, PageQuery, errors
from mutua.matching import selectors, services
from mutua.matching.models import Suggestion
from mutua.matching.schemas import SuggestionOut, SuggestionPage
from mutua.people.auth import bearer
from mutua.people.models import User

router = Router(tags=["proposals"])


def _suggestion(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "id": suggestion.pk,
        "status": suggestion.status,
        "approx_km": suggestion.approx_km,
        "created_at": suggestion.created_at,
        "expires_at": suggestion.expires_at,
        "decided_at": suggestion.decided_at,
        "ask": ask_out(suggestion.ask),
    }


@router.get(
    "",
    response={200: SuggestionPage, **errors(400, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Asks suggested to me",
)
def my_suggestions(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Suggestions from dispatch still waiting for your answer, for asks still open,
    newest first. The distance is rounded so that it cannot pin anyone's door."""
    helper: User = request.auth  # type: ignore[attr-defined]
    items, cursor = paginate(
        selectors.suggestions_for(helper), cursor=page.cursor, limit=page.limit
    )
    return {"items": [_suggestion(p) for p in items], "next": cursor}


@router.post(
    "/{int:proposal_id}/accept",
    response={200: SuggestionOut, **errors(404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Say yes to a suggestion",
)
def accept(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    """The ask is claimed for you at once (GET /asks/{id} then shows the contact); 409 if
    it was taken or closed meanwhile, or the suggestion was already answered."""
    helper: User = request.auth  # type: ignore[attr-defined]
    suggestion = selectors.get_suggestion(proposal_id)
    services.accept_suggestion(suggestion=suggestion, helper=helper)
    return _suggestion(suggestion)


@router.post(
    "/{int:proposal_id}/decline",
    response={200: SuggestionOut, **errors(404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Say no to a suggestion",
)
def decline(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    """The ask goes back to the pool and is not suggested to you again."""
    helper: User = request.auth  # type: ignore[attr-defined]
    suggestion = services.decline_suggestion(
        suggestion=selectors.get_suggestion(proposal_id), helper=helper
    )
    return _suggestion(suggestion)
