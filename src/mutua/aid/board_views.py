"""The board of open asks near a place (HTMX swaps only its list). The list of asks
outside every group is in handon_views."""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from mutua.aid import board_cache, selectors
from mutua.aid.forms import BoardForm
from mutua.people.models import User
from mutua.people.selectors import profile_of
from mutua.people.web import signed_in

# Stands for the CSRF token in a rendered board page; never in a page sent.
_CSRF_PLACEHOLDER = "mutua-board-csrf-token-placeholder"


def _board_near(form: BoardForm, viewer: User | None) -> tuple[tuple[float, float] | None, str]:
    """The point the board is centred on and where it came from ("given", "home" or "")."""
    near = form.cleaned_data.get("near")
    if near is not None:
        return near, "given"
    if viewer is not None and "near" not in form.errors:
        profile = profile_of(viewer)
        if profile is not None and profile.home_lat is not None and profile.home_lon is not None:
            return (profile.home_lat, profile.home_lon), "home"
    return None, ""


def _board_languages(form: BoardForm, viewer: User | None) -> list[str] | None:
    """The languages the member speaks, when they ticked "only languages I speak"."""
    if viewer is None or not form.cleaned_data.get("my_languages"):
        return None
    profile = profile_of(viewer)
    if profile is None or not profile.languages:
        form.add_error("my_languages", _("Add the languages you speak on your page first."))
        return None
    return list(profile.languages)


def _board_link(request: HttpRequest, **changes: str) -> str:
    """This board's address with the same filters and some parameters changed."""
    query = request.GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value:
            query[name] = value
    encoded = query.urlencode()
    return f"{reverse('aid:board')}?{encoded}" if encoded else reverse("aid:board")


def board(request: HttpRequest) -> HttpResponse:
    """The board, a page of cards at a time (or the map view's many small circles): the
    "more" link loads the next page, appended in place with HTMX, or as its own page."""
    form = BoardForm(request.GET)
    form.is_valid()  # every field is optional; a bad one is shown and the rest still apply
    viewer = signed_in(request)
    near, near_source = _board_near(form, viewer)
    radius_km = form.cleaned_data.get("radius_km") or settings.MUTUA_BOARD_RADIUS_KM
    category = form.cleaned_data.get("category") or None
    languages = _board_languages(form, viewer)
    map_view = form.cleaned_data.get("view") == "map"
    page = 1 if map_view else form.cleaned_data.get("page") or 1
    # HTMX asks for the list only, to swap it in place when a filter changes, and for the
    # next cards only from the "more" link; going back in history it asks for the whole
    # page again.
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    fragment = "aid/_board_cards.html" if partial and page > 1 else "aid/_board_results.html"

    def render_list() -> str:
        size = selectors.BOARD_MAP_ASKS if map_view else selectors.BOARD_PAGE_SIZE
        found = selectors.board(
            near=near,
            radius_km=radius_km,
            category=category,
            languages=languages,
            limit=size + 1,
            offset=(page - 1) * size,
        )
        more = len(found) > size and not map_view and page < selectors.BOARD_MAX_PAGES
        context = {
            "items": found[:size],
            "first": (page - 1) * size + 1,
            "last": (page - 1) * size + len(found[:size]),
            "page": page,
            "more_url": _board_link(request, page=str(page + 1), view="") if more else None,
            "list_url": _board_link(request, page="", view=""),
            "map_url": _board_link(request, page="", view="map"),
            "map_view": map_view,
            "near_source": near_source,
            "radius_km": radius_km,
            "languages": languages,
        }
        return render_to_string(fragment, context)

    # Everything the list depends on; the board's cache adds the generation of the asks.
    view_key = (
        fragment,
        request.LANGUAGE_CODE,
        near,
        near_source,
        radius_km,
        category,
        languages,
        page,
        map_view,
        sorted(request.GET.lists()),
    )
    generation = board_cache.generation()
    if partial:
        response = HttpResponse(board_cache.rendered(generation, view_key, render_list))
        patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
        return response

    def render_page() -> str:
        context = {
            "form": form,
            "page_title": _("Open asks near you"),
            "page_description": _(
                "Open asks for help near you, most urgent first. Only the rough area is shown."
            ),
            "results": board_cache.rendered(generation, view_key, render_list),
            "map_view": map_view,
            "more_filters_open": bool(
                form.data.get("radius_km") or category or form.data.get("my_languages")
            ),
            # Put in per request below, so that a kept page holds no one's token.
            "csrf_token": _CSRF_PLACEHOLDER,
        }
        return render_to_string("aid/board.html", context, request)

    # Besides the token, the page differs from one person to another only in the menu
    # (signed in or not), a message waiting for them, or an error about their languages.
    if form.errors or len(get_messages(request)):
        html = render_page()
    else:
        page_key = (
            "page",
            *view_key,
            request.build_absolute_uri(),
            request.user.is_authenticated,
        )
        html = board_cache.rendered(generation, page_key, render_page, shared=False)
    response = HttpResponse(html.replace(_CSRF_PLACEHOLDER, get_token(request)))
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response
