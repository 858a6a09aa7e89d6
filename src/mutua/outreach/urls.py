from __future__ import annotations

from django.urls import URLPattern, path

from mutua.outreach import views

app_name = "outreach"

urlpatterns: list[URLPattern] = [
    path("groups/<slug:slug>/leaflet/", views.leaflet, name="leaflet"),
    path("groups/<slug:slug>/leaflet.pdf", views.leaflet_pdf, name="leaflet_pdf"),
]
