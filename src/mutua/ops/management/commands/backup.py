"""`mutua backup [--out DIR]`: a consistent backup of the database while it runs.

The file's path is printed alone on the last line, for scripts to capture.
"""

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
        "Back up the whole database (SQLite or PostgreSQL) into a new file, while mutua "
        "runs. Contact details stay encrypted in it: keep the encryption key somewhere "
        "else than the backup (README, Backups)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--out",
            type=Path,
            metavar="DIR",
            help=_("folder to write the backup into (default: MUTUA_BACKUP_DIR, var/backups)"),
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help=_("then delete all but the N newest backups in that folder"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError(_("--keep must be 1 or more, not %d") % keep)
        try:
            path = backups.create_backup(out_dir=options["out"])
        except BackupError as exc:
            raise CommandError(exc.message) from None
        if keep is not None:
            for old in backups.prune_backups(directory=path.parent, keep=keep):
                self.stderr.write(_("Deleted the old backup %(path)s") % {"path": old})
        fingerprints = ", ".join(backups.current_fingerprints())
        # On stderr, so that the path stays alone on stdout for scripts.
        self.stderr.write(
            _(
                "Contact details in it need the encryption key with fingerprint %(keys)s: "
                "keep a copy of that key, but never beside the backup."
            )
            % {"keys": fingerprints}
        )
        self.stdout.write(str(path))
