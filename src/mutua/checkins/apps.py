from __future__ import annotations

from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    """People who want a regular call, the group's callers, and the weekly assignment."""

    name = "mutua.checkins"
    label = "checkins"

    def ready(self) -> None:
        from mutua.checkins.services import forget_person
        from mutua.privacy import erasure

        # A person's sign-up holds their number and address: it goes with their account.
        erasure.on_person_erased(forget_person)
