"""The language switcher at the foot of every page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from mutua.core import language
from mutua.people.services import set_page_language
from mutua.people.web import signed_in


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: this browser keeps the choice (Django's cookie), and so does a
    member's profile, so that it follows them to their other devices."""
    chosen = request.POST.get("language", "")
    viewer = signed_in(request)
    # Anything else is not a language of the pages; Django's view ignores it as well.
    if viewer is not None and chosen in language.page_languages():
        set_page_language(user=viewer, language=chosen)
        language.remember(request, chosen)
    return django_set_language(request)
