"""`mutua token EMAIL`: print a new API token, alone on stdout, for scripts to capture.

`--scope read` makes a token that may only look; `--list` shows an account's tokens and
`--revoke ID` stops one at once.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core.errors import DomainError, NotFound
from mutua.people import selectors as people_selectors
from mutua.people import services as people_services
from mutua.people.models import TokenScope, User


def _token_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a token number, not %r") % value) from None
    if number < 1:
        raise argparse.ArgumentTypeError(_("must be a token number, not %r") % value)
    return number


class Command(BaseCommand):
    help = gettext_noop(
        "Print a new API token for an account, alone on standard output, for use as "
        "'Authorization: Bearer <token>'. It is shown only this once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("email", help=_("the account's email address"))
        parser.add_argument(
            "--scope",
            choices=TokenScope.values,
            default=TokenScope.WRITE,
            help=_("read: may only look (GET); write: may also act (default write)"),
        )
        parser.add_argument(
            "--name", default="", help=_("a name to tell the token apart, e.g. 'our sheet'")
        )
        other = parser.add_mutually_exclusive_group()
        other.add_argument(
            "--list", action="store_true", help=_("list the account's tokens instead")
        )
        other.add_argument(
            "--revoke",
            type=_token_id,
            metavar="ID",
            help=_("stop the token with this number (see --list) at once"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = people_selectors.user_by_email(options["email"])
        if user is None:
            raise CommandError(
                _("There is no account with the email address %(email)s.")
                % {"email": options["email"]}
            )
        if options["list"]:
            self._list(user)
            return
        if options["revoke"] is not None:
            self._revoke(user, options["revoke"])
            return
        if not user.is_active:
            raise CommandError(
                _("The account %(email)s is deactivated; its tokens would not work.")
                % {"email": user.email}
            )
        try:
            key = people_services.issue_token(
                user=user, name=options["name"], scope=options["scope"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(key)

    def _list(self, user: User) -> None:
        tokens = people_selectors.tokens_of(user).order_by("pk")
        if not tokens:
            self.stdout.write(_("%(email)s has no tokens.") % {"email": user.email})
            return
        never = _("never")
        for token in tokens:
            state = (
                _("revoked %(at)s") % {"at": f"{token.revoked_at:%Y-%m-%d %H:%M}"}
                if token.revoked_at
                else _("last used %(at)s")
                % {"at": f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else never}
            )
            self.stdout.write(
                f"{token.pk:>5}  {token.scope:<5}  {token.created_at:%Y-%m-%d}  {state}  "
                f"{token.name}".rstrip()
            )

    def _revoke(self, user: User, token_id: int) -> None:
        try:
            token = people_selectors.token_of(user=user, token_id=token_id)
        except NotFound:
            raise CommandError(
                _("%(email)s has no token number %(id)d (see --list).")
                % {"email": user.email, "id": token_id}
            ) from None
        people_services.revoke_token(token=token, user=user)
        self.stdout.write(
            _("Revoked token %(id)d of %(email)s; it no longer works.")
            % {"id": token.pk, "email": user.email}
        )
