"""`mutua federation`: link this server with other mutua servers and see the links.

mutua federation link URL [--group SLUG] [--by EMAIL] [--days N]
mutua federation list
mutua federation deliver
mutua federation hand-on ASK_ID LINK
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.aid.selectors import get_ask
from mutua.core.errors import DomainError, NotFound
from mutua.federation import selectors, services
from mutua.federation.models import Link
from mutua.groups.commandline import group_option
from mutua.groups.models import Group, GroupKind
from mutua.people.models import User


def _days(value: str) -> int:
    if not value.isdigit():
        raise ValueError(value)
    return int(value)


class Command(BaseCommand):
    help = gettext_noop(
        "Link this server with other mutua servers (HTTP Message Signatures, keys pinned "
        "when the link is made, agreed by a group's proposal on each side), list the "
        "links, send what is waiting, or hand an ask on across a link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        link = commands.add_parser(
            "link",
            help=_("propose a link with the server at URL"),
            description=_(
                "Read the server's /.well-known/mutua, pin its keys, ask it to link, and "
                "open a proposal in the group to agree. The link is active once a group "
                "on each side has agreed."
            ),
        )
        link.add_argument("url", help=_("the other server's address, e.g. https://aid.example"))
        link.add_argument(
            "--group",
            metavar="SLUG",
            help=_("the group that decides (default: the server's only network group)"),
        )
        link.add_argument(
            "--by",
            metavar="EMAIL",
            help=_("the member who puts the proposal (default: the group's only member)"),
        )
        link.add_argument(
            "--days",
            type=_days,
            default=services.links.DEFAULT_DAYS,
            help=_("days the group has to decide (default 7)"),
        )
        commands.add_parser("list", help=_("show the links and their state"))
        commands.add_parser(
            "deliver", help=_("send every waiting message now (once a server is back)")
        )
        hand_on = commands.add_parser(
            "hand-on", help=_("hand an open ask on to a linked server, as the operator")
        )
        hand_on.add_argument("ask", type=int, help=_("the ask's number"))
        hand_on.add_argument("link", help=_("the link's number or the server's address"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as problem:
            raise CommandError(problem.message) from None

    def _link(self, options: dict[str, Any]) -> None:
        group = self._group(options["group"])
        by = self._member(group, options["by"])
        link = services.propose_link(url=options["url"], group=group, by=by, days=options["days"])
        self.stdout.write(
            _(
                "Keys of %(name)s pinned (key %(key)s). Asked it to link; %(group)s decides "
                "by proposal %(proposal)d. State: %(state)s."
            )
            % {
                "name": link.name,
                "key": link.key_id,
                "group": group.slug,
                "proposal": link.proposal_id or 0,
                "state": link.state.label,
            }
        )

    def _group(self, slug: str | None) -> Group:
        if slug is not None:
            return group_option(slug)
        networks = list(Group.objects.filter(kind=GroupKind.NETWORK, parent__isnull=True)[:2])
        if len(networks) != 1:
            raise CommandError(_("Say which group decides: --group SLUG."))
        return networks[0]

    def _member(self, group: Group, email: str | None) -> User:
        members = User.objects.filter(memberships__group=group)
        if email:
            member = members.filter(email__iexact=email.strip()).first()
            if member is None:
                raise CommandError(
                    _("%(email)s is not a member of %(group)s.")
                    % {"email": email, "group": group.slug}
                )
            return member
        only = list(members[:2])
        if len(only) != 1:
            raise CommandError(_("Say which member puts the proposal: --by EMAIL."))
        return only[0]

    def _list(self, options: dict[str, Any]) -> None:
        links = list(selectors.links())
        if not links:
            self.stdout.write(_("No links."))
            return
        for link in links:
            self.stdout.write(self._line(link))

    def _line(self, link: Link) -> str:
        waiting = selectors.pending_messages(link).count()
        return "\t".join(
            [
                str(link.pk),
                link.name,
                link.url,
                str(link.state),
                _("ours: %(side)s") % {"side": link.ours or "-"},
                _("theirs: %(side)s") % {"side": link.theirs or "-"},
                _("group: %(slug)s") % {"slug": link.group.slug if link.group else "-"},
                _("key %(key)s") % {"key": link.key_id},
                _("%(count)d waiting to be sent") % {"count": waiting},
                self._figures(link),
            ]
        )

    def _figures(self, link: Link) -> str:
        figures = link.their_figures
        if not figures or link.figures_at is None:
            return _("no figures from them yet")
        return _("their asks: %(open)d open, %(claimed)d taken, %(done)d done (%(at)s)") % {
            **figures,
            "at": link.figures_at.isoformat(timespec="minutes"),
        }

    def _deliver(self, options: dict[str, Any]) -> None:
        sent = services.deliver_due(everything=True)
        delivered = sum(1 for message in sent if message.status == "delivered")
        self.stdout.write(
            _("%(delivered)d of %(count)d messages delivered.")
            % {"delivered": delivered, "count": len(sent)}
        )

    def _hand_on(self, options: dict[str, Any]) -> None:
        try:
            ask = get_ask(options["ask"])
            link = selectors.link_by_url_or_id(options["link"])
        except NotFound as missing:
            raise CommandError(_("Not found: %(what)s") % {"what": missing}) from None
        crossing = services.hand_on_across(ask=ask, link=link, actor=None)
        self.stdout.write(
            _("Ask %(ask)d handed on to %(name)s as %(crossing)s.")
            % {"ask": ask.pk, "name": link.name, "crossing": crossing.crossing_id}
        )
