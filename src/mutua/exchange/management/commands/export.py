"""`mutua export asks|offers|members|ledger --format csv|json`: a group's data for its own tools.

Without --with-contact nothing private leaves: no exact place, address, phone or email.
Whoever runs this command runs the server and can read the database anyway, so they may
add --with-contact; every ask whose details it writes out is logged in the access log.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core.errors import DomainError
from mutua.exchange import services
from mutua.exchange.csvio import safe_cell
from mutua.groups.commandline import group_option
from mutua.groups.models import Group
from mutua.people.selectors import user_by_email
from mutua.privacy import services as privacy_services


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return safe_cell(" ".join(str(v) for v in value))
    if isinstance(value, str):
        return safe_cell(value)
    # Numbers (a longitude of -0.05) are numbers, not formulas.
    return str(value)


def write_csv(table: services.ExportTable, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(row.get(name)) for name in table.columns])


def write_json(table: services.ExportTable, out: TextIO) -> None:
    json.dump(
        [{name: row.get(name) for name in table.columns} for row in table.rows],
        out,
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=1,
    )
    out.write("\n")


_WRITERS = {"csv": write_csv, "json": write_json}
BYTE_ORDER_MARK = "\ufeff"


class Command(BaseCommand):
    help = gettext_noop(
        "Export asks, offers or members (of one group, or all), or a group's ledger, as CSV "
        "or JSON, without contact details unless --with-contact is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "kind", nargs="?", choices=list(services.EXPORT_COLUMNS), help=_("what to export")
        )
        parser.add_argument(
            "--person",
            metavar="EMAIL",
            help=_("instead: everything held about one person, as JSON (their data rights)"),
        )
        parser.add_argument("--format", choices=list(_WRITERS), help=_("csv (default) or json"))
        parser.add_argument("--group", metavar="SLUG", help=_("only this group's"))
        parser.add_argument(
            "--out", type=Path, metavar="FILE", help=_("write to FILE instead of the screen")
        )
        parser.add_argument(
            "--with-contact",
            action="store_true",
            help=_(
                "include exact places, addresses, phone numbers and emails (each ask "
                "exported this way is recorded in the access log)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["person"] is not None:
            self._export_person(options)
            return
        if options["kind"] is None:
            raise CommandError(
                _("Say what to export: asks, offers, members or ledger, or --person.")
            )
        group: Group | None = None
        if options["group"] is not None:
            group = group_option(options["group"])
        out_path: Path | None = options["out"]
        if out_path is not None and out_path.is_dir():
            raise CommandError(_("%(path)s is a folder, not a file.") % {"path": out_path})
        try:
            table = services.export_table(
                kind=options["kind"], group=group, with_contact=options["with_contact"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        # Written whole to memory first, so a failure leaves no half-written file.
        buffer = io.StringIO()
        # CSV starts with a byte-order mark, on the screen too since `mutua export asks >
        # asks.csv` is how many save it: without it Excel reads UTF-8 as the Windows code
        # page and garbles every name that is not plain English.
        if options["format"] in (None, "csv"):
            buffer.write(BYTE_ORDER_MARK)
        _WRITERS[options["format"] or "csv"](table, buffer)
        if out_path is None:
            self.stdout.write(buffer.getvalue(), ending="")
            return
        try:
            out_path.write_text(buffer.getvalue(), encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(why)s") % {"path": out_path, "why": exc.strerror or exc}
            ) from None
        self.stdout.write(
            _("Exported %(n)d %(kind)s to %(path)s.")
            % {"n": len(table.rows), "kind": table.kind, "path": out_path}
        )

    def _export_person(self, options: dict[str, Any]) -> None:
        # One person's data is always all of it, as JSON: an option that would narrow or
        # reshape it is refused rather than dropped without a word.
        ignored = [
            name
            for name, given in (
                (options["kind"] or "", options["kind"] is not None),
                ("--group", options["group"] is not None),
                ("--with-contact", options["with_contact"]),
                ("--format csv", options["format"] == "csv"),
            )
            if given
        ]
        if ignored:
            raise CommandError(
                _("--person exports everything held about one person, as JSON; drop %(options)s.")
                % {"options": ", ".join(ignored)}
            )
        email: str = options["person"]
        if not email.strip():
            raise CommandError(_("--person needs an email address."))
        out_path: Path | None = options["out"]
        if out_path is not None and out_path.is_dir():
            raise CommandError(_("%(path)s is a folder, not a file.") % {"path": out_path})
        person = user_by_email(email)
        if person is None:
            raise CommandError(
                _("There is no account with the email %(email)s.") % {"email": email}
            )
        text = privacy_services.export_person(user=person) + "\n"
        if out_path is None:
            self.stdout.write(text, ending="")
            return
        try:
            out_path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(why)s") % {"path": out_path, "why": exc.strerror or exc}
            ) from None
