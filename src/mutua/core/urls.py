from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from mutua.core import views

app_name = "core"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    # Django's set_language view, for the language switcher in the footer (works without JS).
    path("i18n/", include("django.conf.urls.i18n")),
]
