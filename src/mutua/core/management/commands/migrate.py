"""`mutua migrate`: Django's migrate, then the table of the shared cache.

The cache (settings.CACHES) holds login throttles and rate limits shared by every
process; in the database by default, so its table must exist before the first request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        database = options["database"]
        if any(cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()):
            # Makes only the tables that are missing: safe on every run.
            call_command("createcachetable", database=database, verbosity=options["verbosity"])
