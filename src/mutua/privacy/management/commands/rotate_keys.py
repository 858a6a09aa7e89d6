"""`mutua rotate_keys`: re-encrypt every ask's private details with the newest key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core import crypto
from mutua.privacy import services


class Command(BaseCommand):
    help = gettext_noop(
        "Re-encrypt contact details and exact places with the first key of "
        "MUTUA_ENCRYPTION_KEY, so older keys can then be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = services.rotate_encryption()
        except crypto.InvalidToken:
            raise CommandError(
                _("Some details cannot be decrypted with any key in MUTUA_ENCRYPTION_KEY.")
            ) from None
        self.stdout.write(_("Re-encrypted %(n)d records with the newest key.") % {"n": count})
