"""The HTTP API, version 1, under /api/v1/. Each app contributes a router."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from mutua.aid.api import router as asks_router
from mutua.core.errors import DomainError

api = NinjaAPI(
    title="mutua",
    version="1",
    description='Mutual aid: asks, the board, claims. Errors are JSON {"detail": "..."}.',
    urls_namespace="api-v1",
)
api.add_router("/asks", asks_router)


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


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = []
    for error in exc.errors:
        where = _location(list(error.get("loc", [])))
        text = str(error.get("msg", "invalid value"))
        messages.append(f"{where}: {text}" if where else text)
    return api.create_response(
        request, {"detail": "; ".join(messages), "errors": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = str(exc)
    if detail == "Unauthorized":
        detail = "This needs a token: send Authorization: Bearer <token> (see `mutua token`)."
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)
