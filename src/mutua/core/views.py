from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from mutua import __version__
from mutua.core import language
from mutua.core.web import member
from mutua.people.services import set_page_language


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for monitors and load balancers: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "unavailable"
    ok = database == "ok"
    return JsonResponse(
        {
            "status": "ok" if ok else "degraded",
            "database": database,
            "database_engine": connection.vendor,
            "version": __version__,
        },
        status=200 if ok else 503,
    )


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: this browser keeps the choice (Django's cookie), and so does a
    member's profile, so that it follows them to their other devices."""
    chosen = request.POST.get("language", "")
    viewer = member(request)
    # Anything else is not a language of the pages; Django's view ignores it as well.
    if viewer is not None and chosen in language.page_languages():
        set_page_language(user=viewer, language=chosen)
        language.remember(request, chosen)
    return django_set_language(request)
