from __future__ import annotations

from django.urls import URLPattern, path

from mutua.checkins import views

app_name = "checkins"

urlpatterns: list[URLPattern] = [
    path("groups/<slug:slug>/checkins/", views.rota, name="rota"),
    path("groups/<slug:slug>/checkins/sign-up", views.sign_up, name="sign_up"),
    path("groups/<slug:slug>/checkins/stop", views.stop, name="stop"),
    path("groups/<slug:slug>/checkins/rota/join", views.join, name="join"),
    path("groups/<slug:slug>/checkins/rota/leave", views.leave, name="leave"),
    path("groups/<slug:slug>/checkins/assign", views.assign, name="assign"),
    path("groups/<slug:slug>/checkins/calls/<int:assignment_id>", views.log_call, name="log_call"),
]
