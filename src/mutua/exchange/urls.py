from __future__ import annotations

from django.urls import URLPattern, path

from mutua.exchange import views

app_name = "exchange"

urlpatterns: list[URLPattern] = [
    path("groups/<slug:slug>/places/", views.places, name="places"),
]
