from __future__ import annotations

from django.urls import URLPattern, path

from mutua.notify import views

app_name = "notify"

urlpatterns: list[URLPattern] = [
    path("sms/inbound", views.sms_inbound, name="sms_inbound"),
    path("mail/inbound", views.mail_inbound, name="mail_inbound"),
    path("voice/status", views.voice_status, name="voice_status"),
    path("hotline/", views.hotline, name="hotline"),
    path("hotline/duplicates", views.hotline_duplicates, name="hotline_duplicates"),
    path("hotline/texts/<int:draft_id>/dismiss", views.hotline_dismiss, name="hotline_dismiss"),
    path("me/notifications/", views.preferences, name="preferences"),
    path("me/notifications/link", views.phone_link, name="phone_link"),
    path("me/notifications/unlink", views.phone_unlink, name="phone_unlink"),
]
