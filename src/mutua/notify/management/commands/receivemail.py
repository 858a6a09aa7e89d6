"""`mutua receivemail [--to ADDRESS] < MESSAGE`: take one e-mail reply to a relay
conversation from standard input, as a mail server's pipe delivers it (Postfix: a
`pipe` transport running `mutua receivemail --to ${recipient}`), and relay its new text."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core.errors import DomainError
from mutua.notify import services


class Command(BaseCommand):
    help = gettext_noop(
        "Read one e-mail (the whole message, headers and all) from standard input and "
        "relay its reply into the conversation its address stands for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--to",
            default="",
            metavar="ADDRESS",
            help=_("the address it was delivered to (default: its To, Cc and Delivered-To)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError(_("No message on standard input."))
        try:
            message = services.receive_mail(raw=raw, recipient=options["to"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            _("Relayed into the conversation about ask #%(ref)d.") % {"ref": message.ask_id}
        )
