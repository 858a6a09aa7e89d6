"""A database that cannot be reached or written (PostgreSQL restarting, a full disk) gives
a clear 503, not a server error: nothing was saved, and the person is told to try again."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The driver's first line names the cause ("database or disk is full", "connection
        # refused"); the rest may quote the statement's values, so it is not logged.
        reason = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
        logger.error("database unavailable (%s) for %s %s", reason, request.method, _route(request))
        message = _(
            "The server cannot reach its database just now, so nothing was saved. "
            "Please try again in a minute."
        )
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            # A page of its own, with no base template: that would ask the database again
            # (the signed-in person, the group's language).
            html = render_to_string("ops/unavailable.html", {"message": message})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None else "?"
