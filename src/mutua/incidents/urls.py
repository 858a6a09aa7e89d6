from __future__ import annotations

from django.urls import URLPattern, path

from mutua.incidents import views

app_name = "incidents"

_ONE = "groups/<slug:slug>/incidents/<int:incident_id>/"

urlpatterns: list[URLPattern] = [
    path("groups/<slug:slug>/incidents/", views.incident_list, name="list"),
    path("groups/<slug:slug>/incidents/new", views.incident_new, name="new"),
    path(_ONE, views.board, name="board"),
    path(_ONE + "progress/", views.progress, name="progress"),
    path(_ONE + "join", views.join, name="join"),
    path(_ONE + "close", views.close, name="close"),
    path(_ONE + "cases/<int:case_id>/claim", views.claim, name="claim"),
    path(_ONE + "cases/<int:case_id>/assess", views.assess, name="assess"),
    path(_ONE + "work/<int:claim_id>/done", views.done, name="done"),
]
