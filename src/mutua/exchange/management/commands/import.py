"""`mutua import asks|offers|members FILE.csv --group SLUG`: bring a group's spreadsheet in;
`mutua import places --group SLUG FILE` adds the place names of a CSV or GeoJSON file.

All or nothing: every row goes through the same checks as the pages, and one bad row
means nothing is kept (the message names its line). `--dry-run` reports row by row what
would happen and keeps nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mutua.exchange import columns, csvio, services
from mutua.exchange.places import NotAPlaceFile, read_place_file
from mutua.groups.commandline import group_option
from mutua.groups.models import Group

_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def _show_delimiter(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else repr(delimiter)


class Command(BaseCommand):
    help = gettext_noop(
        "Import asks, offers or members from a CSV file into a group, or the place names "
        "it uses from a CSV or GeoJSON file (docs/places.md), all or nothing. "
        "Columns are matched by their headers; --map names the ones that are not "
        "recognised. Encoding and delimiter are detected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "kind", choices=(*columns.KINDS, "places"), help=_("what the file holds")
        )
        parser.add_argument("file", type=Path, help=_("the CSV file (or GeoJSON, for places)"))
        parser.add_argument(
            "--group", required=True, metavar="SLUG", help=_("the group's short name")
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD,...",
            help=_("which column holds which field, e.g. --map 'Tel=phone,Need=what'"),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check every row and report what would happen; save nothing"),
        )
        parser.add_argument(
            "--encoding", help=_("the file's encoding if not detected, e.g. cp1252")
        )
        parser.add_argument(
            "--delimiter", help=_("the column separator if not detected: , ; tab or |")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        group = group_option(options["group"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(why)s") % {"path": path, "why": exc.strerror or exc}
            ) from None
        if options["kind"] == "places":
            self._import_places(group, path, data, dry_run=options["dry_run"])
            return
        delimiter = options["delimiter"]
        if delimiter is not None:
            delimiter = _DELIMITER_NAMES.get(delimiter.lower(), delimiter)
        kind: str = options["kind"]
        try:
            table = csvio.read_table(data, encoding=options["encoding"], delimiter=delimiter)
            mapping = columns.resolve(kind, table.headers, columns.parse_map(options["map"]))
        except (csvio.TableError, columns.MappingError) as exc:
            raise CommandError(str(exc)) from None

        dry_run: bool = options["dry_run"]
        if dry_run:
            self._describe(path, table, mapping)
        rows = [(line, columns.pick(mapping, cells)) for line, cells in table.rows]
        console = Console(stderr=True)
        quiet = options["verbosity"] == 0 or not console.is_terminal
        bar_columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        try:
            with Progress(*bar_columns, console=console, disable=quiet) as bar:
                task = bar.add_task(_("Importing"), total=len(rows))
                report = services.import_rows(
                    kind=kind,
                    rows=rows,
                    group=group,
                    dry_run=dry_run,
                    progress=lambda: bar.advance(task),
                )
        except services.ImportFailed as exc:
            raise CommandError(self._refusal(exc.report, exc.message)) from None
        except KeyboardInterrupt:
            raise CommandError(_("Interrupted; nothing was imported.")) from None

        if dry_run:
            for line, outcome in report.rows:
                self.stdout.write(
                    _("line %(line)d: %(outcome)s") % {"line": line, "outcome": outcome}
                )
            if report.problems:
                raise CommandError(self._refusal(report, _("Dry run")))
            self.stdout.write(
                _("Dry run: all %(n)d rows can be imported into %(group)s; nothing was saved.")
                % {"n": len(report.rows), "group": group.name}
            )
            return
        self.stdout.write(
            _("Imported %(n)d %(kind)s into %(group)s from %(path)s.")
            % {"n": report.imported, "kind": kind, "group": group.name, "path": path.name}
        )

    def _import_places(self, group: Group, path: Path, data: bytes, *, dry_run: bool) -> None:
        """All or nothing, as the page does it, by whoever runs the server: each bad row
        on a line of its own ("line 4: ..."), then one line saying nothing was added."""
        try:
            place_file = read_place_file(data)
            if dry_run:
                count = len(services.checked_names(group=group, place_file=place_file))
            else:
                count = len(services.add_place_names(group=group, place_file=place_file, by=None))
        except NotAPlaceFile as exc:
            raise CommandError(str(exc)) from None
        except services.PlacesRefused as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("Nothing was added to %(group)s: %(count)d bad rows, each on a line above.")
                % {"group": group.name, "count": len(exc.problems)}
            ) from None
        if dry_run:
            self.stdout.write(
                _("Dry run: all %(n)d place names can be added to %(group)s; nothing was saved.")
                % {"n": count, "group": group.name}
            )
            return
        self.stdout.write(
            _("Added %(n)d place names to %(group)s from %(path)s.")
            % {"n": count, "group": group.name, "path": path.name}
        )

    def _describe(self, path: Path, table: csvio.Table, mapping: columns.Mapping) -> None:
        self.stdout.write(
            _("Reading %(path)s as %(encoding)s, columns separated by %(delimiter)s.")
            % {
                "path": path.name,
                "encoding": table.encoding,
                "delimiter": _show_delimiter(table.delimiter),
            }
        )
        used = ", ".join(
            f"{table.headers[index]!r} -> {name}" for name, index in mapping.columns.items()
        )
        self.stdout.write(_("Columns: %(used)s") % {"used": used})
        if mapping.ignored:
            self.stdout.write(
                _("Not used: %(ignored)s") % {"ignored": ", ".join(map(repr, mapping.ignored))}
            )

    @staticmethod
    def _refusal(report: services.ImportReport, first: str) -> str:
        count = len(report.problems)
        if count == 1 and not report.dry_run:
            return _("%(first)s. Nothing was imported.") % {"first": first.rstrip(".")}
        if report.dry_run:
            return _("%(prefix)s: %(count)d bad rows; nothing was saved.") % {
                "prefix": first,
                "count": count,
            }
        return _(
            "%(first)s. Nothing was imported: %(count)d bad rows (run with --dry-run to see "
            "them all)."
        ) % {"first": first.rstrip("."), "count": count}
