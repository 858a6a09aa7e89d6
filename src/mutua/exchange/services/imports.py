"""Importing a spreadsheet of asks, offers or members into a group: all rows or none,
each through the same services as the pages and the API."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.core.errors import DomainError, InvalidInput
from mutua.exchange import columns
from mutua.groups import selectors as group_selectors
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people import selectors as people_selectors
from mutua.people import services as people_services
from mutua.people.models import User

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 50  # past this many bad rows the report stops listing them


@dataclass
class ImportProblem:
    line: int
    message: str
    field: str | None = None


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    # (line, what happened) for each row, in file order
    rows: list[tuple[int, str]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return 0 if self.problems or self.dry_run else len(self.rows)


class ImportFailed(DomainError):
    """A row was refused, so nothing was imported. `report` lists every bad row."""

    def __init__(self, report: ImportReport) -> None:
        first = report.problems[0]
        super().__init__(
            _("line %(line)d: %(why)s") % {"line": first.line, "why": first.message},
            field=first.field,
        )
        self.report = report


@dataclass(frozen=True)
class _Into:
    """The group rows are imported into, with its area read once for the whole file."""

    group: Group
    area: frozenset[str]


def _ask_draft(values: dict[str, str], into: _Into) -> tuple[aid_services.AskDraft, str]:
    """The row as an ask to create, and a note for the report."""
    group = into.group
    place = columns.point(values)
    note = ""
    if place is None:
        if group.center_lat is None or group.center_lon is None:
            raise InvalidInput(_("The row has no place and the group has no area."), field="lat")
        place = (group.center_lat, group.center_lon)
        note = " " + _("(no place given: put at the middle of the group's area)")
    if not group_selectors.covers(into.area, *place):
        raise InvalidInput(
            _("The place is outside the area of %(group)s.") % {"group": group.name},
            field="place",
        )
    draft = aid_services.AskDraft(
        what=values["what"],
        category=columns.category(values["category"]),
        urgency=columns.urgency(values.get("urgency", "")),
        language=values.get("language", "") or "en",
        lat=place[0],
        lon=place[1],
        address=values.get("address", ""),
        contact_name=values.get("name", ""),
        contact_phone=values.get("phone", ""),
        contact_email=values.get("email", ""),
        consent=columns.consent(values["consent"]),
    )
    return draft, note


def _import_asks(
    rows: Iterable[tuple[int, dict[str, str]]],
    into: _Into,
    report: ImportReport,
    progress: Callable[[], None] | None,
) -> None:
    """Asks go in as one batch (aid's create_asks), which checks every row first."""
    outcomes: dict[int, str] = {}
    drafts: list[aid_services.AskDraft] = []
    placed: list[tuple[int, str]] = []  # (line, note) of each draft, in order
    for line, values in rows:
        try:
            draft, note = _ask_draft(values, into)
        except DomainError as exc:
            outcomes[line] = _refuse(report, line, exc)
        else:
            drafts.append(draft)
            placed.append((line, note))
        if progress is not None:
            progress()
    try:
        asks = aid_services.create_asks(drafts=drafts)
    except aid_services.AsksRefused as exc:
        for position, (line, note) in enumerate(placed):
            problem = exc.problems.get(position)
            outcomes[line] = (
                _refuse(report, line, problem) if problem else _("ask, can be imported") + note
            )
    else:
        for (line, note), ask in zip(placed, asks, strict=True):
            routed = ask.group.name if ask.group else _("no group")
            outcomes[line] = (
                _("ask for %(group)s (%(category)s, urgency %(urgency)d)")
                % {"group": routed, "category": ask.category, "urgency": ask.urgency}
                + note
            )
    report.rows = sorted(outcomes.items())
    report.problems.sort(key=lambda p: p.line)


def _member_for(email: str) -> User:
    user = people_selectors.user_by_email(email) if email else None
    if user is None:
        raise InvalidInput(
            _("There is no account with the email address %(email)s; import members first.")
            % {"email": email or "''"},
            field="email",
        )
    return user


def _import_offer(values: dict[str, str], into: _Into) -> str:
    group = into.group
    member = _member_for(values["email"])
    joined = not group_selectors.is_member(group=group, user=member)
    if joined:
        group_services.join_group(group=group, user=member)
    offer = aid_services.create_offer(
        member=member,
        kind=columns.offer_kind(values.get("kind", "")),
        category=columns.category(values["category"]),
        what=values["what"],
        group=group,
    )
    text = _("offer by %(member)s (%(kind)s, %(category)s)") % {
        "member": member.email,
        "kind": offer.kind,
        "category": offer.category,
    }
    return text + (" " + _("(joined the group)") if joined else "")


def _import_member(values: dict[str, str], into: _Into) -> str:
    group = into.group
    email = values["email"]
    user = people_selectors.user_by_email(email) if email else None
    if user is None:
        # The person's own profile is filled in only for a new account: an existing
        # member's words about themselves are theirs to change, not a spreadsheet's.
        user = people_services.create_account(email=email, display_name=values.get("name", ""))
        skills = [
            columns.category(s) for s in columns.words(values.get("skills", ""), split_spaces=False)
        ]
        languages = columns.words(values.get("languages", ""))
        if skills or languages:
            profile = people_services.ensure_profile(user=user)
            people_services.update_profile(
                user=user,
                display_name=profile.display_name,
                languages=languages,
                skills=skills,
                travel_radius_km=profile.travel_radius_km,
                home=None,
                available_days=[],
            )
        outcome = _("new account %(email)s") % {"email": user.email}
    else:
        outcome = _("existing account %(email)s") % {"email": user.email}
    if group_selectors.is_member(group=group, user=user):
        return outcome + ", " + _("already a member")
    group_services.join_group(group=group, user=user)
    return outcome + ", " + _("joined")


# Offers and members go row by row: each is a few writes through their services.
_ROW_IMPORTERS: dict[str, Callable[[dict[str, str], _Into], str]] = {
    "offers": _import_offer,
    "members": _import_member,
}


def _refuse(report: ImportReport, line: int, exc: DomainError) -> str:
    report.problems.append(ImportProblem(line, exc.message, exc.field))
    return _("refused: %(why)s") % {"why": exc.message}


def import_rows(
    *,
    kind: str,
    rows: Iterable[tuple[int, dict[str, str]]],
    group: Group,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
) -> ImportReport:
    """Import rows (line number, values by field name) into `group`: all or nothing.

    Every row goes through the same services as the pages and the API, inside one
    transaction. If any row is refused, nothing is kept and ImportFailed lists the bad
    rows; a dry run does everything the same way, reports, and keeps nothing either.
    """
    if kind != "asks" and kind not in _ROW_IMPORTERS:
        raise InvalidInput(_("Cannot import %(kind)s.") % {"kind": kind}, field="kind")
    into = _Into(group=group, area=group_selectors.area_cells(group))
    report = ImportReport(kind=kind, dry_run=dry_run)
    with transaction.atomic():
        if kind == "asks":
            _import_asks(rows, into, report, progress)
        else:
            _import_row_by_row(_ROW_IMPORTERS[kind], rows, into, report, progress)
        if report.problems or dry_run:
            transaction.set_rollback(True)
    del report.problems[MAX_PROBLEMS:]
    if report.problems and not dry_run:
        raise ImportFailed(report)
    return report


def _import_row_by_row(
    importer: Callable[[dict[str, str], _Into], str],
    rows: Iterable[tuple[int, dict[str, str]]],
    into: _Into,
    report: ImportReport,
    progress: Callable[[], None] | None,
) -> None:
    for line, values in rows:
        try:
            # A savepoint per row, so that after a refused row the next ones are still
            # tried (the report lists every bad row) against a clean state.
            with transaction.atomic():
                report.rows.append((line, importer(values, into)))
        except DomainError as exc:
            report.rows.append((line, _refuse(report, line, exc)))
        if progress is not None:
            progress()
        if len(report.problems) >= MAX_PROBLEMS:
            break
