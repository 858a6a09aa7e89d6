from __future__ import annotations

from django.urls import path

from mutua.federation import views

urlpatterns = [
    path(".well-known/mutua", views.well_known, name="federation-well-known"),
]
