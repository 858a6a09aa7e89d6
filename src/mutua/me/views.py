"""The member's own page: their asks, claims, offers, borrowed things, gatherings and
profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutua.aid.selectors import asks_of, claims_of, offers_of
from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.groups.selectors import groups_of, map_centre, second_area_of
from mutua.matching.selectors import pending_suggestion_count
from mutua.me.forms import PROFILE_FIELDS, ProfileForm
from mutua.people.models import Profile
from mutua.people.selectors import profile_or_blank
from mutua.people.services import update_profile
from mutua.people.web import signed_in
from mutua.resources.selectors.gatherings import answered_by
from mutua.resources.selectors.things import borrowed_by


def _initial(profile: Profile) -> dict[str, object]:
    home = ""
    if profile.home_lat is not None and profile.home_lon is not None:
        home = f"{profile.home_lat:.5f}, {profile.home_lon:.5f}"
    return {
        "display_name": profile.display_name,
        "languages": profile.languages,
        "skills": profile.skills,
        "travel_radius_km": profile.travel_radius_km,
        "max_asks_at_once": profile.max_asks_at_once,
        "home_place": home,
        "available_days": profile.available_days,
        "available_from": profile.available_from,
        "available_to": profile.available_to,
        "paused": profile.paused,
    }


@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    viewer = signed_in(request)
    assert viewer is not None  # login_required
    profile = profile_or_blank(viewer)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, known_languages=profile.languages)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_profile(
                    user=viewer,
                    display_name=data["display_name"],
                    languages=data["languages"],
                    skills=data["skills"],
                    travel_radius_km=data["travel_radius_km"],
                    home=data["home"],
                    available_days=data["available_days"],
                    available_from=data["available_from"],
                    available_to=data["available_to"],
                    paused=data["paused"],
                    max_asks_at_once=data["max_asks_at_once"],
                )
            except DomainError as exc:
                attach_domain_error(form, exc, PROFILE_FIELDS)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("me:page")
        status = 400
    else:
        form = ProfileForm(initial=_initial(profile), known_languages=profile.languages)
    context = {
        "form": form,
        "profile": profile,
        "asks": asks_of(viewer)[:50],
        "claims": claims_of(viewer)[:50],
        "offers": offers_of(viewer)[:50],
        "borrowed": borrowed_by(viewer),
        "rsvps": answered_by(viewer),
        "suggestion_count": pending_suggestion_count(viewer),
        "groups": groups_of(viewer).order_by("name"),
        "second_area": second_area_of(viewer),
        "map_centre": map_centre(),
        "tile_url": settings.MUTUA_TILE_URL,
    }
    return render(request, "me/page.html", context, status=status)
