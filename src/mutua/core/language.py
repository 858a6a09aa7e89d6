"""Which language the pages are in, for each request.

In order: the language a member chose (kept on their profile), the language chosen in
this browser (Django's language cookie, set by the switcher at the foot of every page),
the browser's Accept-Language, then for members the default their most local group
chose (a group setting, changed by proposal), then the site's default, MUTUA_LANGUAGE.
Only languages the pages are translated into (settings.LANGUAGES) count at any step.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

# The member's choice is copied into their session when they log in (people registers
# that on log-in), so that no page pays a database query to learn it.
SESSION_KEY = "mutua_page_language"
# Likewise the default of the member's group, read at log-in (governance registers that).
GROUP_SESSION_KEY = "mutua_group_language"


def page_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def remember(request: HttpRequest, language: str) -> None:
    """Use `language` for the rest of this member's session."""
    request.session[SESSION_KEY] = language


def forget(request: HttpRequest) -> None:
    """This member has no saved choice: the browser's decides again."""
    request.session.pop(SESSION_KEY, None)


def remember_group_default(request: HttpRequest, language: str) -> None:
    """Use `language` after the member's and the browser's choices, for this session."""
    request.session[GROUP_SESSION_KEY] = language


def browser_language(request: HttpRequest) -> str:
    """The language this browser asks for (switcher cookie, then Accept-Language) among
    those the pages are written in, or "" when it asks for none of them."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in page_languages():
        return cookie
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for tag, _quality in parse_accept_lang_header(header):
        if tag == "*":
            continue
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return ""


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware with the member's own choice first. It must come after
    the authentication middleware, which tells who the member is."""

    def process_request(self, request: HttpRequest) -> None:
        member = request.user.is_authenticated
        chosen = request.session.get(SESSION_KEY, "") if member else ""
        if chosen not in page_languages():
            group_default = request.session.get(GROUP_SESSION_KEY, "") if member else ""
            chosen = (
                browser_language(request)
                or (group_default if group_default in page_languages() else "")
                or settings.LANGUAGE_CODE
            )
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
