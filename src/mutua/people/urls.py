from __future__ import annotations

from django.urls import URLPattern, path

from mutua.people import views

app_name = "people"

urlpatterns: list[URLPattern] = [
    # The language switcher in the footer (a plain form: works without JS).
    path("i18n/setlang/", views.set_language, name="set_language"),
]
