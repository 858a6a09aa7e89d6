"""Keeps the API's promise that every error is JSON {"detail": ...}.

django-ninja answers a wrong method (405) with plain text before any of the API's
exception handlers run; this middleware rewrites that one case for /api/ paths.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ApiMethodNotAllowedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and request.path.startswith("/api/"):
            allowed = response.get("Allow", "")
            detail = f"{request.method} is not allowed here; use {allowed}."
            response.content = json.dumps({"detail": detail}).encode()
            response["Content-Type"] = "application/json"
        return response
