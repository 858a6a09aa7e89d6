from __future__ import annotations

from django.urls import URLPattern, path

from mutua.relay import views

app_name = "relay"

urlpatterns: list[URLPattern] = [
    path("asks/<int:ask_id>/messages/", views.conversation, name="conversation"),
]
