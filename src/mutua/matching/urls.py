from __future__ import annotations

from django.urls import URLPattern, path

from mutua.matching import views

app_name = "matching"

urlpatterns: list[URLPattern] = [
    path("groups/<slug:slug>/dispatch/", views.dispatch, name="dispatch"),
    path("groups/<slug:slug>/dispatch/runs/<int:run_id>/", views.run_detail, name="run_detail"),
    # Suggestions keep their first addresses, under "proposals": links in messages use them.
    path("me/proposals/", views.suggestions, name="suggestions"),
    path("proposals/<int:suggestion_id>/accept/", views.suggestion_accept, name="accept"),
    path("proposals/<int:suggestion_id>/decline/", views.suggestion_decline, name="decline"),
]
