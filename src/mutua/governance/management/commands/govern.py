"""`mutua govern`: decide proposals past their deadline and end roles past their term."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mutua.governance import services


class Command(BaseCommand):
    help = gettext_noop(
        "Decide proposals whose deadline has passed, note deadlines within a day and end "
        "roles whose term is over. The worker does this at each deadline; this command "
        "is for cron, or for a task backend that cannot wait. Safe to run at any time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)

    def handle(self, *args: Any, **options: Any) -> None:
        done = services.run_due()
        lines = [
            ngettext("%(count)d proposal decided.", "%(count)d proposals decided.", done.decided),
            ngettext(
                "%(count)d proposal went to a second round.",
                "%(count)d proposals went to a second round.",
                done.second_rounds,
            ),
            ngettext(
                "%(count)d deadline reminder.", "%(count)d deadline reminders.", done.reminded
            ),
            ngettext("%(count)d role ended.", "%(count)d roles ended.", done.roles_ended),
        ]
        counts = [done.decided, done.second_rounds, done.reminded, done.roles_ended]
        for line, count in zip(lines, counts, strict=True):
            self.stdout.write(line % {"count": count})
