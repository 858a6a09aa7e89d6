"""The HTTP API, version 1, under /api/v1/. Each app contributes a router."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import register_converter
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, ValidationError

from mutua.aid.api.answers import router as answers_router
from mutua.aid.api.asks import router as asks_router
from mutua.aid.api.claims import claims_router
from mutua.aid.api.handon import router as hand_on_router
from mutua.aid.api.network import router as network_router
from mutua.aid.api.offers import offers_router
from mutua.core.errors import DomainError, NotFound
from mutua.core.input_errors import explain
from mutua.core.limits import TooMany
from mutua.exchange.api import router as webhooks_router
from mutua.federation.api import router as federation_router
from mutua.governance.api import router as governance_router
from mutua.governance.area_api import router as area_router
from mutua.groups.api import memberships_router, places_router
from mutua.groups.api import router as groups_router
from mutua.incidents.api import router as incidents_router
from mutua.matching.api import router as suggestions_router
from mutua.people.api import router as me_router
from mutua.people.auth import RateLimited
from mutua.relay.api import router as relay_router
from mutua.resources.api import router as resources_router

DESCRIPTION = """Mutual aid: asks, the board, the conversation about an ask, claims, offers,
groups, your profile and tokens, dispatch suggestions (under /proposals), webhooks, what
a group holds together (its ledger and money asks), incidents (a group's response to a
disaster), and federation between servers.

* **Tokens**: `Authorization: Bearer <token>`, from `mutua token EMAIL` on the server.
  A token made with `--scope read` may only GET; one made with `--scope write` (the
  default) may also act. Revoked tokens get 401.
* **Rate limit**: each token has a number of requests a minute (`MUTUA_API_RATE_LIMIT`,
  120 by default); past it, 429 with a `Retry-After` header.
* **Errors** are JSON `{"detail": "..."}` with a 4xx status, in the language of the
  request's `Accept-Language`; `field` names the input at fault when there is one. Input
  of the wrong shape is 422 with `errors` too.
* **Bodies** are JSON sent as `Content-Type: application/json` (anything else is 415),
  of at most 2.5 MB (413).
* **Lists** are newest first, in pages: pass the `next` of one page as `cursor` to get
  the next; `next` is null on the last page. The board (GET /asks) is one list sorted by
  urgency and distance, without pages.
"""

api = NinjaAPI(
    title="mutua",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
)
api.add_router("/asks", asks_router)
api.add_router("/asks", relay_router)
api.add_router("/asks", hand_on_router)
api.add_router("/offers", offers_router)
api.add_router("/offers", answers_router)
api.add_router("/claims", claims_router)
api.add_router("/groups", groups_router)
api.add_router("/groups", governance_router)
api.add_router("/groups", resources_router)
api.add_router("/groups", network_router)
api.add_router("/groups", area_router)
api.add_router("/memberships", memberships_router)
api.add_router("/places", places_router)
api.add_router("/me", me_router)
# Dispatch suggestions keep their first path, /proposals: scripts use it.
api.add_router("/proposals", suggestions_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/federation", federation_router)
api.add_router("/incidents", incidents_router)


class _AnythingConverter:
    """Any rest of a path, even with a line break (Django's `path` stops at one)."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_AnythingConverter, "anything")

# Last: any other address under /api/v1/ (an unknown route, or an id that is not a
# number, such as /asks/-1) answers in JSON like every other error, not with a web page.
unknown_router = Router()


@unknown_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"],
    "/{anything:rest}",
    auth=None,
    include_in_schema=False,
)
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    raise NotFound(rest)


api.add_router("", unknown_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, str] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status)


def _location(loc: list[str | int]) -> str:
    # Drop ninja's "body"/"query"/"payload" wrappers: the person knows their own fields.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(TooMany)
def too_many(request: HttpRequest, exc: TooMany) -> HttpResponse:
    body = {"detail": exc.message, **({"field": exc.field} if exc.field else {})}
    response = api.create_response(request, body, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = []
    errors = []
    for error in exc.errors:
        where = _location(list(error.get("loc", [])))
        # pydantic's own words are English only; say them in the request's language.
        text = explain(error)
        messages.append(f"{where}: {text}" if where else text)
        errors.append({**error, "msg": text})
    return api.create_response(
        request, {"detail": "; ".join(messages), "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = str(exc)
    if detail == "Unauthorized":
        detail = _("This needs a token: send Authorization: Bearer <token> (see `mutua token`).")
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    """The one place where the API turns a selector's NotFound into a 404."""
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
