from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mutua.people"
    label = "people"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from mutua.people.web import remember_page_language

        user_logged_in.connect(
            remember_page_language, dispatch_uid="mutua.people.web.remember_page_language"
        )
