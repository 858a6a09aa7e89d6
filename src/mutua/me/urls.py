from __future__ import annotations

from django.urls import URLPattern, path

from mutua.me import views

app_name = "me"

urlpatterns: list[URLPattern] = [
    path("me/", views.me, name="page"),
]
