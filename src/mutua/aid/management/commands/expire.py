"""`mutua expire`: close open asks that have passed their expiry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mutua.aid import services as aid_services


class Command(BaseCommand):
    help = gettext_noop(
        "Mark open asks past their expiry date as expired. Safe to run at any time, "
        "for instance hourly from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)

    def handle(self, *args: Any, **options: Any) -> None:
        count = aid_services.expire_asks()
        self.stdout.write(
            ngettext("%(count)d ask expired.", "%(count)d asks expired.", count) % {"count": count}
        )
