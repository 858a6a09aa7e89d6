"""Keeps the API's promises about what it reads and how it answers an error.

* It reads JSON only when it is sent as application/json. A browser may post text/plain
  or a form to another site without asking first (no CORS preflight), so a JSON body
  accepted in any wrapping would let any web page make asks in a visitor's name.
* Every error is JSON {"detail": ...}, in the request's language. django-ninja's own
  answers to a wrong method (405), Django's to a body that is too large and any crash
  would otherwise be plain text or a web page; this middleware rewrites them for /api/.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


def _body_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _detail(request: HttpRequest, response: HttpResponse) -> str:
    status = response.status_code
    if status == 405:
        allowed = response.get("Allow", "")
        return _("%(method)s is not allowed here; use %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
    known = {
        400: _("The request could not be read."),
        403: _("This is not allowed."),
        404: _("Not found."),
        413: _("The request is too large."),
    }
    if status in known:
        return known[status]
    if status >= 500:
        return _("Something went wrong on the server; it has been logged. Try again later.")
    return response.reason_phrase


def _carries_data(request: HttpRequest) -> bool:
    """Whether the body holds anything at all: a POST with nothing to say (an empty form,
    as some clients send for a bare POST) is not refused for its wrapping."""
    body = request.body
    if not body.strip():
        return False
    if request.content_type == "multipart/form-data":
        boundary = (request.content_params or {}).get("boundary", "")
        return body.strip() != f"--{boundary}--".encode()
    return True


class ApiJsonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        refused = self._refuse(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            allow = response.get("Allow")
            rewritten = JsonResponse(
                {"detail": _detail(request, response)}, status=response.status_code
            )
            if allow:
                rewritten["Allow"] = allow
            return rewritten
        return response

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        length = _body_length(request)
        if request.method not in _BODY_METHODS or length == 0:
            return None
        limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return JsonResponse(
                {
                    "detail": _("The request is too large: at most %(limit)d bytes.")
                    % {"limit": limit}
                },
                status=413,
            )
        if request.content_type != "application/json" and _carries_data(request):
            response = JsonResponse(
                {
                    "detail": _("Send JSON with Content-Type: application/json, not %(type)s.")
                    % {"type": request.content_type or _("no type")}
                },
                status=415,
            )
            response["Accept"] = "application/json"
            return response
        return None
