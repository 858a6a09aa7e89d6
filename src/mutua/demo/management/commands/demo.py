"""`mutua demo`: fill the database with a realistic London mutual aid network."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from mutua.aid.models import AskStatus
from mutua.core.errors import DomainError
from mutua.core.management.commands.serve import _port
from mutua.demo import network
from mutua.demo.login import login_line


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a whole number, not %r") % value) from None
    if seed < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more, not %d") % seed)
    return seed


class _RichProgress:
    """Shows each stage of the build as a progress bar (on stderr, only in a terminal)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: Any = None

    def stage(self, name: str, total: int) -> None:
        self._task = self._progress.add_task(name, total=total)

    def advance(self, amount: int = 1) -> None:
        self._progress.advance(self._task, amount)


class Command(BaseCommand):
    help = gettext_noop(
        "Fill the database with a realistic demo network around London: groups, "
        "members, asks in every state and offers. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--seed",
            type=_seed,
            default=1,
            help=_("the same seed always builds the same network (default 1)"),
        )
        parser.add_argument(
            "--size",
            choices=list(network.SIZES),
            default="small",
            help=_(
                "small: about 2,000 members; city: about 20,000; tiny is for tests (default small)"
            ),
        )
        parser.add_argument(
            "--port",
            type=_port,
            default=8000,
            help=_("the port `mutua serve` will use, for the address to open (default 8000)"),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("do nothing if the database already has any group"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._address = f"http://127.0.0.1:{options['port']}"
        if options["if_empty"] and network.any_group_exists():
            if network.demo_exists():
                self._print_login()
            return
        if network.demo_exists():
            self.stdout.write(
                _("The demo network %(name)s is already in the database; nothing to do.")
                % {"name": network.NETWORK_NAME}
            )
            self._print_login()
            return

        console = Console(stderr=True)
        quiet = options["verbosity"] == 0 or not console.is_terminal
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        try:
            with Progress(*columns, console=console, disable=quiet) as bar:
                planning = bar.add_task(_("Planning"), total=1)
                plan = network.plan_demo(
                    seed=options["seed"],
                    size=options["size"],
                    expiry_days=settings.MUTUA_ASK_EXPIRY_DAYS,
                )
                bar.advance(planning)
                summary = network.build_demo(plan, progress=_RichProgress(bar))
        except DomainError as exc:
            # For instance a group short name or the demo email already taken by real data.
            raise CommandError(
                _("Could not build the demo: %(reason)s") % {"reason": exc.message}
            ) from None
        except KeyboardInterrupt:
            raise CommandError(_("Interrupted; nothing was saved.")) from None

        by_status = ", ".join(
            f"{count} {AskStatus(status).label.lower()}"
            for status, count in summary.asks_by_status.items()
        )
        self.stdout.write(
            _(
                "Built the demo network in %(seconds).1f s: %(groups)d groups, %(members)d "
                "members, %(asks)d asks (%(by_status)s; %(unrouted)d outside every group), "
                "%(offers)d offers."
            )
            % {
                "seconds": summary.seconds,
                "groups": summary.groups,
                "members": summary.members,
                "asks": sum(summary.asks_by_status.values()),
                "by_status": by_status,
                "unrouted": summary.unrouted,
                "offers": summary.offers,
            }
        )
        self._print_login()

    def _print_login(self) -> None:
        self.stdout.write(login_line(self._address))
