"""Small helpers shared by the web views of every app."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to after a POST: the form's `next` if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path: redirect() would read a bare word ("-1", "offers") as a view's name and
    # fail with a 500.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
