"""`mutua restore FILE [--force]`: put a backup made by `mutua backup` back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.ops.services import backups
from mutua.ops.services.engines import BackupError


class Command(BaseCommand):
    help = gettext_noop(
        "Restore a backup made by `mutua backup`. Refuses to replace a database that holds "
        "data unless given --force. Stop the server first, and restart it afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("file", type=Path, help=_("the backup file"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("replace the data in the database with the backup's"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backups.restore_backup(path=options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(_("Restored %(path)s.") % {"path": report.path})
        if report.pending_migrations:
            self.stdout.write(
                _("The backup is older than this version of mutua: run `mutua migrate` now.")
            )
        if report.unreadable:
            needed = ", ".join(report.needed_keys) or _("unknown")
            self.stderr.write(
                _(
                    "Warning: the contact details in this backup were encrypted with a key "
                    "this server does not have (the backup needs fingerprint %(needed)s; this "
                    "server has %(have)s). Set MUTUA_ENCRYPTION_KEY to that key, or they "
                    "cannot be read."
                )
                % {"needed": needed, "have": ", ".join(backups.current_fingerprints())}
            )
