from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from mutua.core import views

app_name = "core"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    # The language switcher in the footer (a plain form: works without JS).
    path("i18n/setlang/", views.set_language, name="set_language"),
]
