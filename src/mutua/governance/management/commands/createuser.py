"""`mutua createuser EMAIL`: make an account from the command line, optionally in a group,
optionally trusted by that group with its asks (`--trusted`, the operator's way to seat a
new group's first members; the group's history says the operator gave it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core.errors import DomainError
from mutua.governance import services as governance_services
from mutua.groups import services as group_services
from mutua.groups.commandline import group_option
from mutua.people import services as people_services


class Command(BaseCommand):
    help = gettext_noop(
        "Create an account. Without --password it cannot log in until a password is set "
        "through 'Forgot password?' on the login page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("email", help=_("the email address to log in with"))
        parser.add_argument(
            "--password",
            help=_("a password (other users of this machine can see it in the process list)"),
        )
        parser.add_argument(
            "--group", metavar="SLUG", help=_("join the group with this short name")
        )
        parser.add_argument("--name", default="", help=_("the name shown to other members"))
        parser.add_argument(
            "--trusted",
            action="store_true",
            help=_(
                "with --group: trust the new member with the group's asks, as its trusted "
                "helper for one term, recorded as given by the server's operator"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password: str | None = options["password"]
        if options["trusted"] and not options["group"]:
            raise CommandError(_("--trusted needs --group: trust is given by a group."))
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        # All or nothing: a bad group must not leave an account behind.
        with transaction.atomic():
            group = None
            if options["group"] is not None:
                group = group_option(options["group"])
            try:
                user = people_services.create_account(
                    email=options["email"], password=password, display_name=options["name"]
                )
            except DomainError as exc:
                raise CommandError(exc.message) from None
            term = None
            if group is not None:
                group_services.join_group(group=group, user=user)
                if options["trusted"]:
                    term = governance_services.trust_by_operator(group=group, member=user)

        self.stdout.write(_("Created the account %(email)s.") % {"email": user.email})
        if group is not None:
            self.stdout.write(_("It is a member of %(group)s.") % {"group": group.name})
        if group is not None and term is not None:
            self.stdout.write(
                _(
                    "%(group)s trusts it with its asks until %(until)s, as given by the "
                    "server's operator."
                )
                % {"group": group.name, "until": term.ends_at.date().isoformat()}
            )
        if password is None:
            self.stdout.write(
                _(
                    "It has no password, so it cannot log in until one is set with "
                    "'Forgot password?' on the login page."
                )
            )
