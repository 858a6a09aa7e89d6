"""`mutua purge [--dry-run]`: erase personal details of asks closed longer ago than the
retention period (README, "Privacy")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.privacy import services


class Command(BaseCommand):
    help = gettext_noop(
        "Erase contact details, address, exact place and text of asks that were done, "
        "cancelled or expired longer ago than the retention period. Counts are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("only say what would be erased")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.purge_personal_data(dry_run=options["dry_run"])
        template = (
            _("Would erase the personal details of %(n)d asks.")
            if report.dry_run
            else _("Erased the personal details of %(n)d asks.")
        )
        self.stdout.write(template % {"n": report.asks})
        for status, count in sorted(report.by_status.items()):
            self.stdout.write(f"  {status}: {count}")
