from __future__ import annotations

from django.urls import URLPattern, path

from mutua.outreach import views
from mutua.outreach.impact import views as impact_views

app_name = "outreach"

urlpatterns: list[URLPattern] = [
    path("groups/<slug:slug>/leaflet/", views.leaflet, name="leaflet"),
    path("groups/<slug:slug>/leaflet.pdf", views.leaflet_pdf, name="leaflet_pdf"),
    path("groups/<slug:slug>/impact/", impact_views.impact_page, name="impact"),
    path("groups/<slug:slug>/impact.csv", impact_views.impact_csv, name="impact_csv"),
]
