from __future__ import annotations

from django.urls import URLPattern, path

from mutua.people import views

app_name = "people"

urlpatterns: list[URLPattern] = [
    path("me/", views.me, name="me"),
]
