"""`mutua token EMAIL`: print a new API token, alone on stdout, for scripts to capture."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.people import selectors as people_selectors
from mutua.people import services as people_services


class Command(BaseCommand):
    help = gettext_noop(
        "Print a new API token for an account, alone on standard output, for use as "
        "'Authorization: Bearer <token>'. It is shown only this once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("email", help=_("the account's email address"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = people_selectors.user_by_email(options["email"])
        if user is None:
            raise CommandError(
                _("There is no account with the email address %(email)s.")
                % {"email": options["email"]}
            )
        if not user.is_active:
            raise CommandError(
                _("The account %(email)s is deactivated; its tokens would not work.")
                % {"email": user.email}
            )
        self.stdout.write(people_services.issue_token(user=user))
