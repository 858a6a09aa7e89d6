"""Compression of what a browser loads for a page, so the pages stay light on slow phones."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

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
