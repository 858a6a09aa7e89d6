from __future__ import annotations

from django.urls import URLPattern, path

from mutua.matching import views

app_name = "matching"

urlpatterns: list[URLPattern] = [
    path("groups/<slug:slug>/dispatch/", views.dispatch, name="dispatch"),
    path("groups/<slug:slug>/dispatch/runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("me/proposals/", views.proposals, name="proposals"),
    path("proposals/<int:proposal_id>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:proposal_id>/decline/", views.proposal_decline, name="proposal_decline"),
]
