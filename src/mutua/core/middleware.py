"""Middleware of the pages: compression of what a browser loads, so the pages stay light
on slow phones, and the 404 page for a selector's NotFound."""

from __future__ import annotations

from collections.abc import Callable

from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from mutua.core.errors import NotFound

# Pages, styles and scripts. The API's JSON answers are sent as they are: they are small,
# and some of the tools people script against an API do not undo gzip.
_COMPRESSED_TYPES = ("text/", "application/javascript", "image/svg+xml")


class PageGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith(_COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)


class NotFoundMiddleware:
    """The one place where a page turns a selector's NotFound into Django's 404 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.what))
        return None
