from __future__ import annotations

from django.urls import URLPattern, path

from mutua.privacy import views

app_name = "privacy"

urlpatterns: list[URLPattern] = [
    path("me/privacy/", views.my_privacy, name="me"),
    path("me/privacy/export", views.export, name="export"),
    path("me/privacy/erase", views.erase, name="erase"),
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("members/<int:user_id>/block/", views.block, name="block"),
    path("members/<int:user_id>/unblock/", views.unblock, name="unblock"),
    path("groups/<slug:slug>/reports/", views.group_reports, name="group_reports"),
    path(
        "groups/<slug:slug>/paused/<int:user_id>/restore/",
        views.restore_claiming,
        name="restore_claiming",
    ),
]
