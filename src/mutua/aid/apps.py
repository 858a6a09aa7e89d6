from __future__ import annotations

from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "mutua.aid"
    label = "aid"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from mutua.aid.web import forget_private_links

        # Django's own login and logout news: the session is the browser's, not ours.
        user_logged_in.connect(forget_private_links, dispatch_uid="mutua.aid.forget_in")
        user_logged_out.connect(forget_private_links, dispatch_uid="mutua.aid.forget_out")
