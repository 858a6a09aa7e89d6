"""`mutua match`: dispatch from two CSV files (no database), or for a group or network."""

from __future__ import annotations

import argparse
import os
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from mutua.core.errors import InvalidInput
from mutua.matching.engine import Reason, solve
from mutua.matching.engine.spreadsheet import SpreadsheetError, read_sheets, write_results
from mutua.matching.selectors import groups_for_dispatch, run_summary
from mutua.matching.services import run_dispatch

# At most this many bad rows are listed; the count of the rest follows.
_SHOWN_PROBLEMS = 50

_REASON_LABELS = {
    Reason.NO_HELPER_IN_RANGE: gettext_noop("no helper in range"),
    Reason.NO_CATEGORY: gettext_noop("no helper in range helps with this category"),
    Reason.NO_LANGUAGE: gettext_noop("no helper in range speaks the language needed"),
    Reason.NO_TIME: gettext_noop("no helper in range is available at that time"),
    Reason.CAPACITY: gettext_noop("every suitable helper was taken"),
}


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a whole number, not %r") % value) from None
    if number < 1:
        raise argparse.ArgumentTypeError(_("must be 1 or more, not %d") % number)
    return number


class Command(BaseCommand):
    help = gettext_noop(
        "Match asks to helpers. From spreadsheets: --asks ASKS.csv --helpers HELPERS.csv "
        "--out MATCHES.csv (no database, no account). For a group's open asks: --group SLUG, "
        "or --network SLUG for a group and every group under it (writes suggestions)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--asks",
            type=Path,
            metavar="ASKS.csv",
            help=_(
                "asks: id, lat, lon, category, urgency (1-3); optional language, "
                "window_start, window_end"
            ),
        )
        parser.add_argument(
            "--helpers",
            type=Path,
            metavar="HELPERS.csv",
            help=_(
                "helpers: id, lat, lon, radius_km, categories (;-separated), capacity; "
                "optional languages (;-separated), available_from, available_to"
            ),
        )
        parser.add_argument(
            "--out",
            type=Path,
            metavar="MATCHES.csv",
            help=_("where to write the matches: ask_id, helper_id, distance_km"),
        )
        parser.add_argument(
            "--unmatched",
            type=Path,
            metavar="UNMATCHED.csv",
            help=_("also write the asks left unmatched, with the reason: ask_id, reason"),
        )
        parser.add_argument("--group", metavar="SLUG", help=_("dispatch for this group"))
        parser.add_argument(
            "--network",
            metavar="SLUG",
            help=_("dispatch for this group and every group nested under it"),
        )
        parser.add_argument(
            "--k",
            type=_positive,
            default=8,
            help=_("candidate helpers considered per ask (default 8; widened when needed)"),
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            default=min(2, os.cpu_count() or 1),
            help=_("processor cores to use (default: up to 2)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from_files = any(options[name] is not None for name in ("asks", "helpers", "out"))
        chosen = [
            from_files or options["unmatched"] is not None,
            options["group"] is not None,
            options["network"] is not None,
        ]
        if sum(chosen) != 1:
            raise CommandError(
                _("Give either --asks and --helpers (with --out), or --group, or --network.")
            )
        if chosen[0]:
            self._from_files(options)
        else:
            self._from_database(options)

    def _print(self, *renderables: Any) -> None:
        # Rendered as plain text into the command's stdout, so call_command can capture it.
        console = Console(file=StringIO(), width=100, highlight=False, emoji=False)
        for renderable in renderables:
            console.print(renderable)
        assert isinstance(console.file, StringIO)  # set just above
        self.stdout.write(console.file.getvalue(), ending="")

    def _from_files(self, options: dict[str, Any]) -> None:
        asks_path: Path | None = options["asks"]
        helpers_path: Path | None = options["helpers"]
        out: Path | None = options["out"]
        unmatched: Path | None = options["unmatched"]
        if asks_path is None or helpers_path is None or out is None:
            raise CommandError(
                _("From spreadsheets, give all three of --asks, --helpers and --out.")
            )
        for path in (asks_path, helpers_path):
            if not path.is_file():
                raise CommandError(_("%(path)s: no such file.") % {"path": path})
        for target in (out, unmatched):
            if target is not None and not target.resolve().parent.is_dir():
                raise CommandError(
                    _("%(path)s: the folder to write into does not exist.") % {"path": target}
                )
        progress_console = Console(stderr=True)
        quiet = options["verbosity"] == 0 or not progress_console.is_terminal
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
        )
        try:
            with Progress(*columns, console=progress_console, disable=quiet) as bar:
                reading = bar.add_task(_("Reading"), total=None)
                sheets = read_sheets(
                    asks_path, helpers_path, progress=lambda rows: bar.advance(reading, rows)
                )
                bar.update(reading, total=1, completed=1)
                matching = bar.add_task(_("Matching"), total=None)
                assignment = solve(
                    sheets.asks, sheets.helpers, k=options["k"], workers=options["workers"]
                )
                bar.update(matching, total=1, completed=1)
                writing = bar.add_task(_("Writing"), total=None)
                write_results(sheets, assignment, out, unmatched)
                bar.update(writing, total=1, completed=1)
        except SpreadsheetError as exc:
            lines = [problem.format(_) for problem in exc.problems[:_SHOWN_PROBLEMS]]
            hidden = len(exc.problems) - len(lines)
            if hidden:
                lines.append(_("... and %(count)d more problems.") % {"count": hidden})
            lines.append(_("Nothing was written."))
            raise CommandError("\n".join(lines)) from None
        except OSError as exc:
            raise CommandError(
                _("Could not write the results: %(error)s") % {"error": exc.strerror or exc}
            ) from None
        except KeyboardInterrupt:
            raise CommandError(_("Interrupted; nothing was written.")) from None

        total = len(sheets.ask_ids)
        table = Table(title=_("Dispatch from spreadsheets"))
        table.add_column("")
        table.add_column(_("count"), justify="right")
        table.add_row(_("asks read"), str(total))
        table.add_row(_("helpers read"), str(len(sheets.helper_ids)))
        table.add_row(_("matched"), str(assignment.matched))
        counts = np.bincount(assignment.reason.astype(np.int64), minlength=len(Reason))
        for reason, label in _REASON_LABELS.items():
            if counts[reason]:
                table.add_row(
                    _("not matched: %(reason)s") % {"reason": _(label)}, str(counts[reason])
                )
        table.add_row(_("total distance (km)"), f"{assignment.cost:.1f}")
        notes = []
        if total == 0:
            notes.append(_("There are no asks to match."))
        elif not sheets.helper_ids:
            notes.append(_("There are no helpers, so no ask could be matched."))
        notes.append(_("Matches written to %(path)s.") % {"path": out})
        if unmatched is not None:
            notes.append(_("Unmatched asks written to %(path)s.") % {"path": unmatched})
        self._print(table, *notes)

    def _from_database(self, options: dict[str, Any]) -> None:
        progress_console = Console(stderr=True)
        quiet = options["verbosity"] == 0 or not progress_console.is_terminal
        try:
            groups = groups_for_dispatch(
                group_slug=options["group"], network_slug=options["network"]
            )
            with Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=progress_console,
                disable=quiet,
            ) as bar:
                task = bar.add_task(_("Matching"), total=None)
                run = run_dispatch(groups=groups, actor=None)
                bar.update(task, total=1, completed=1)
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        except DatabaseError as exc:
            raise CommandError(
                _("The database is not ready (%(error)s); run `mutua migrate` first.")
                % {"error": exc}
            ) from None
        table = Table(title=_("Dispatch for %(group)s") % {"group": groups[0].name})
        table.add_column("")
        table.add_column(_("count"), justify="right")
        for label, count in run_summary(run):
            table.add_row(label, str(count))
        self._print(table)
