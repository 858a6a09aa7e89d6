"""`mutua leaflet --group SLUG --lang en,ar --out FILE.pdf`: the group's leaflet to print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.groups.commandline import group_option
from mutua.outreach.leaflet import PrintingUnavailable, Size, leaflet_pdf
from mutua.outreach.selectors import leaflet_languages

# Without MUTUA_PUBLIC_URL or --base-url the QR code can only point at this machine,
# which is right for trying mutua out and wrong on paper: the command says so.
LOCAL_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = gettext_noop(
        "Print a group's leaflet as a PDF: one page per language, A4 or two A5 on A4."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("--group", required=True, metavar="SLUG", help=_("the group"))
        parser.add_argument(
            "--lang",
            default="",
            metavar="CODES",
            help=_("languages, comma-separated (default: the site's language), e.g. en,ar"),
        )
        parser.add_argument(
            "--size",
            choices=[s.value for s in Size],
            default=Size.A4.value,
            help=_("a4: one leaflet a page; a5: two on each A4 page, to cut in half"),
        )
        parser.add_argument("--out", required=True, metavar="FILE.pdf", help=_("where to write"))
        parser.add_argument(
            "--base-url",
            default="",
            metavar="URL",
            help=_("address of the site for the QR code (default: MUTUA_PUBLIC_URL)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        group = group_option(options["group"])
        codes = [c.strip() for c in (options["lang"] or settings.LANGUAGE_CODE).split(",")]
        codes = list(dict.fromkeys(c for c in codes if c))
        known = leaflet_languages()
        unknown = [c for c in codes if c not in known]
        if unknown or not codes:
            raise CommandError(
                _("Unknown language %(codes)s: choose among %(known)s.")
                % {"codes": ", ".join(unknown) or "''", "known": ",".join(known)}
            )
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(_("No such folder: %(path)s") % {"path": out.parent})
        base_url = options["base_url"] or str(settings.MUTUA_PUBLIC_URL)
        if not base_url:
            base_url = LOCAL_URL
            self.stderr.write(
                _(
                    "MUTUA_PUBLIC_URL is not set: the QR code points at %(url)s. Set it, or "
                    "give --base-url, before printing leaflets to hand out."
                )
                % {"url": base_url}
            )
        elif not base_url.startswith(("http://", "https://")):
            raise CommandError(_("--base-url must start with http:// or https://"))
        try:
            pdf = leaflet_pdf(
                group=group, languages=codes, size=Size(options["size"]), base_url=base_url
            )
        except PrintingUnavailable as missing:
            raise CommandError(str(missing)) from None
        try:
            out.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(
                _("Could not write %(path)s: %(error)s") % {"path": out, "error": exc.strerror}
            ) from None
        self.stdout.write(str(out))
