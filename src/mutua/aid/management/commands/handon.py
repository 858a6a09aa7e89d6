"""`mutua handon`: the asks outside every group's area and the groups nearest them, or
pass an ask to another group as whoever runs the server.

mutua handon                   list the unrouted asks (place in words, nearest groups)
mutua handon ASK_ID --to SLUG  pass the ask to that group
mutua handon --overdue         pass on now the asks past their group's time to wait
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mutua.aid import selectors, services
from mutua.core.errors import DomainError, NotFound
from mutua.groups.selectors import group_by_slug


class Command(BaseCommand):
    help = gettext_noop(
        "List the open asks outside every group's area with the groups nearest them, or "
        "pass an ask to another group (a group near it, or one its group is part of), "
        "logged in its history, the access log and the receiving group's log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("ask", type=int, nargs="?", help=_("the ask's number"))
        parser.add_argument("--to", metavar="SLUG", help=_("the group to pass it to"))
        parser.add_argument(
            "--overdue",
            action="store_true",
            help=_("pass on every ask that waited longer than its group's time to wait"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["overdue"]:
            count = services.pass_overdue()
            self.stdout.write(
                ngettext("%(n)d ask passed on.", "%(n)d asks passed on.", count) % {"n": count}
            )
            return
        if options["ask"] is None:
            self._list()
            return
        if not options["to"]:
            raise CommandError(_("Say which group to pass it to: --to SLUG."))
        try:
            ask = selectors.get_ask(options["ask"])
            group = group_by_slug(options["to"])
            services.pass_to_group(ask=ask, to_group=group, actor=None)
        except NotFound:
            raise CommandError(_("No such ask or group.")) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            _("Ask #%(id)d passed on to %(group)s.") % {"id": ask.pk, "group": group.slug}
        )

    def _list(self) -> None:
        page = 1
        while True:
            items, more = selectors.unrouted_items(page=page)
            for item in items:
                nearest = ", ".join(
                    f"{t.group.slug} ({t.km:.1f} km)" for t in item.nearest[:3] if t.km is not None
                )
                place = item.place_name or "-"
                self.stdout.write(f"#{item.ask.pk}\t{item.ask.category}\t{place}\t{nearest or '-'}")
            if not more:
                break
            page += 1
