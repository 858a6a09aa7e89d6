from __future__ import annotations

from django.urls import URLPattern, path

from mutua.groups import views

app_name = "groups"

urlpatterns: list[URLPattern] = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/<slug:slug>/", views.group_detail, name="group_detail"),
    path("groups/<slug:slug>/join/", views.group_join, name="group_join"),
    path("groups/<slug:slug>/leave/", views.group_leave, name="group_leave"),
    path("groups/<slug:slug>/second-area/", views.second_area, name="second_area"),
    path("groups/<slug:slug>/second-area/stop/", views.second_area_stop, name="second_area_stop"),
]
