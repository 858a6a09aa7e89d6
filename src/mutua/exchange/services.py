"""Writes for the exchange: webhooks and their deliveries, CSV import and export.

Webhooks. A member registers an address for their group; when an ask of the group (or
of a group inside it) is made, taken or done, one delivery per webhook is recorded after
the change commits, and a background task posts it, signed. A failed attempt is retried
with growing delays (RETRY_DELAYS) with the same delivery id and the same body, so a
receiver that got it twice can tell; a delivered one is never sent again.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, AskEvent, Offer
from mutua.core.errors import DomainError, InvalidInput, NotAllowed
from mutua.core.text import clean_text
from mutua.exchange import columns, selectors, signing
from mutua.exchange.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent
from mutua.groups import selectors as group_selectors
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people import selectors as people_selectors
from mutua.people import services as people_services
from mutua.people.models import User
from mutua.privacy.services import log_reveal

logger = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last, give up.
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
MAX_WEBHOOKS_PER_GROUP = 10
_TIMEOUT_SECONDS = 10
_URL_MAX_LENGTH = 500
_EVENT_FOR_KIND = {
    AskEvent.Kind.CREATED: WebhookEvent.ASK_CREATED,
    AskEvent.Kind.CLAIMED: WebhookEvent.ASK_CLAIMED,
    AskEvent.Kind.DONE: WebhookEvent.ASK_DONE,
}
# The ask's status as of the event, whatever happened to it since.
_STATUS_AFTER = {
    WebhookEvent.ASK_CREATED: "open",
    WebhookEvent.ASK_CLAIMED: "claimed",
    WebhookEvent.ASK_DONE: "done",
}
_GROUP_DEPTH_LIMIT = 10
# The access log's reason for a reveal to whoever runs the server (`mutua export`).
OPERATOR_REASON = "operator"


# --- webhooks ----------------------------------------------------------------------------


def _private_host(host: str) -> bool:
    lowered = host.lower().rstrip(".")
    if lowered == "localhost" or lowered.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        return not ipaddress.ip_address(lowered).is_global
    except ValueError:
        return False  # a name: its addresses are checked before each delivery


def _clean_url(url: str) -> str:
    url = url.strip()
    refused = InvalidInput(
        _("The address must be a full http:// or https:// URL, such as https://example.org/hook."),
        field="url",
    )
    if len(url) > _URL_MAX_LENGTH:
        raise InvalidInput(
            _("The address is too long (at most %(limit)d characters).")
            % {"limit": _URL_MAX_LENGTH},
            field="url",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
        host = urlsplit(url).hostname
    except (ValidationError, ValueError):
        raise refused from None
    if not host:
        raise refused
    if not settings.MUTUA_WEBHOOK_ALLOW_PRIVATE and _private_host(host):
        raise InvalidInput(
            _("Webhooks must go to a public address, not to this machine or a private network."),
            field="url",
        )
    return url


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    unknown = [e for e in chosen if e not in WebhookEvent.values]
    if unknown:
        raise InvalidInput(
            _("Unknown event: %(event)s (choose from %(known)s).")
            % {"event": unknown[0], "known": ", ".join(WebhookEvent.values)},
            field="events",
        )
    if not chosen:
        raise InvalidInput(_("Choose at least one event."), field="events")
    return [e for e in WebhookEvent.values if e in chosen]


@transaction.atomic
def register_webhook(
    *, group: Group, by: User, url: str, events: Iterable[str], description: str = ""
) -> Webhook:
    """Register an address to be told about the group's asks. Any member may.

    The secret for checking signatures is in the returned webhook; show it to the member
    once. Deliveries carry only what the public board shows, so no role is needed.
    """
    if not group_selectors.is_member(group=group, user=by):
        raise NotAllowed(_("Only members of %(group)s can add its webhooks.") % {"group": group})
    url = _clean_url(url)
    chosen = _clean_events(events)
    description = clean_text(description, field="description", label=_("description"), limit=200)
    # Lock the group's row so two registrations at once cannot both pass the count.
    Group.objects.select_for_update().filter(pk=group.pk).exists()
    if Webhook.objects.filter(group=group).count() >= MAX_WEBHOOKS_PER_GROUP:
        raise InvalidInput(
            _("A group can have at most %(limit)d webhooks; remove one first.")
            % {"limit": MAX_WEBHOOKS_PER_GROUP},
            field="url",
        )
    return Webhook.objects.create(
        group=group,
        url=url,
        secret=secrets.token_hex(32),
        events=chosen,
        description=description,
        created_by=by,
    )


def remove_webhook(*, webhook: Webhook, by: User) -> None:
    """Stop and delete a webhook, with its deliveries. Any member of its group may."""
    if not group_selectors.is_member(group=webhook.group, user=by):
        raise NotAllowed(
            _("Only members of %(group)s can remove its webhooks.") % {"group": webhook.group}
        )
    Webhook.objects.filter(pk=webhook.pk).delete()


def _public_ask(ask: Ask, status: str) -> dict[str, Any]:
    """The ask as the public board shows it (see docs/WEBHOOKS.md): never contact data."""
    return {
        "id": ask.pk,
        "status": status,
        "what": ask.what,
        "category": ask.category,
        "urgency": ask.urgency,
        "language": ask.language,
        "area": {
            "cell": ask.cell,
            "name": ask.area_name,
            "lat": ask.public_lat,
            "lon": ask.public_lon,
        },
        "group": ask.group.slug if ask.group else None,
        "created_at": ask.created_at.isoformat(),
        "expires_at": ask.expires_at.isoformat(),
    }


def _group_and_ancestors(group: Group) -> list[Group]:
    chain = [group]
    # A depth limit rather than trust: a parent loop made by hand must not hang a worker.
    while chain[-1].parent_id is not None and len(chain) < _GROUP_DEPTH_LIMIT:
        parent = chain[-1].parent
        if parent is None or parent in chain:
            break
        chain.append(parent)
    return chain


@transaction.atomic
def queue_ask_event(*, event_id: int) -> list[WebhookDelivery]:
    """Record one delivery for each webhook that wants this ask event; returns the new
    ones. Announcing the same event twice records nothing more."""
    if not Webhook.objects.exists():
        return []  # the common case, kept to one query: imports announce thousands
    event = AskEvent.objects.select_related("ask__group").filter(pk=event_id).first()
    if event is None or event.ask.group is None or event.kind not in _EVENT_FOR_KIND:
        return []
    name = _EVENT_FOR_KIND[AskEvent.Kind(event.kind)]
    hooks = Webhook.objects.filter(group__in=_group_and_ancestors(event.ask.group))
    created = []
    for hook in hooks:
        if name not in hook.events:
            continue
        delivery_id = uuid.uuid4()
        payload = {
            "id": str(delivery_id),
            "event": name.value,
            "occurred_at": event.at.isoformat(),
            "group": hook.group.slug,
            "ask": _public_ask(event.ask, _STATUS_AFTER[name]),
        }
        try:
            with transaction.atomic():
                delivery, is_new = WebhookDelivery.objects.get_or_create(
                    webhook=hook,
                    source=f"askevent:{event.pk}",
                    defaults={
                        "delivery_id": delivery_id,
                        "group": hook.group,
                        "event": name.value,
                        "payload": payload,
                    },
                )
        except IntegrityError:
            continue  # announced twice at once; the other announcement recorded it
        if is_new:
            created.append(delivery)
    return created


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead the server to an address the checks below never saw.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _destination_problem(url: str) -> str:
    """Why the server must not post to `url` now, or "" if it may."""
    if settings.MUTUA_WEBHOOK_ALLOW_PRIVATE:
        return ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        return f"cannot resolve {host}: {exc}"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return f"{host} resolves to a non-public address ({address})"
    return ""


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST and return (HTTP status, "") or (None, why it could not be sent)."""
    problem = _destination_problem(url)
    if problem:
        return None, problem
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (http(s) only: _clean_url)
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=_TIMEOUT_SECONDS) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except (OSError, ValueError) as exc:
        return None, str(exc) or type(exc).__name__


def attempt_delivery(*, delivery_pk: int) -> WebhookDelivery | None:
    """Send a pending delivery once and record how it went; None if it no longer exists.

    Not one transaction: the row is taken (pending -> sending) by a conditional update,
    so two workers never post the same delivery at once, and no database transaction is
    held open while waiting for the receiver.
    """
    now = timezone.now()
    taken = WebhookDelivery.objects.filter(pk=delivery_pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_pk).first()
    if delivery is None or not taken:
        return delivery  # removed, already delivered, given up, or being sent elsewhere
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "mutua-webhooks/1",
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.delivery_id),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(
            secret=delivery.webhook.secret, timestamp=timestamp, body=body
        ),
    }
    status, error = _post(delivery.webhook.url, body, headers)
    delivery.last_response_status = status
    delivery.last_error = error[:300] if error else ""
    if status is not None and 200 <= status < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif status == 410 or delivery.attempts >= MAX_ATTEMPTS:
        # 410 Gone: the receiver says the hook is no more; retrying would be noise.
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=RETRY_DELAYS[delivery.attempts - 1])
    delivery.save(
        update_fields=[
            "status",
            "last_response_status",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery


# --- import ----------------------------------------------------------------------------------

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


# --- export ----------------------------------------------------------------------------------

EXPORT_COLUMNS: dict[str, tuple[list[str], list[str]]] = {
    # kind: (columns anyone running the server may export, contact columns)
    "asks": (
        [
            "id",
            "status",
            "what",
            "category",
            "urgency",
            "language",
            "group",
            "area_cell",
            "area_name",
            "area_lat",
            "area_lon",
            "created_at",
            "expires_at",
        ],
        ["lat", "lon", "address", "name", "phone", "email", "consent_at"],
    ),
    "offers": (
        ["id", "kind", "category", "what", "group", "member", "active", "created_at"],
        ["email"],
    ),
    "members": (
        [
            "id",
            "name",
            "group",
            "joined_at",
            "languages",
            "skills",
            "travel_radius_km",
            "home_cell",
            "paused",
        ],
        ["email"],
    ),
}


@dataclass
class ExportTable:
    kind: str
    columns: list[str]
    rows: list[dict[str, Any]]


def _ask_row(ask: Ask, with_contact: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ask.pk,
        "status": ask.status,
        "what": ask.what,
        "category": ask.category,
        "urgency": ask.urgency,
        "language": ask.language,
        "group": ask.group.slug if ask.group else None,
        "area_cell": ask.cell,
        "area_name": ask.area_name,
        "area_lat": ask.public_lat,
        "area_lon": ask.public_lon,
        "created_at": ask.created_at,
        "expires_at": ask.expires_at,
    }
    if with_contact:
        row.update(
            lat=ask.lat,
            lon=ask.lon,
            address=ask.address,
            name=ask.contact_name,
            phone=ask.contact_phone,
            email=ask.contact_email,
            consent_at=ask.consent_at,
        )
    return row


def _offer_row(offer: Offer, with_contact: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": offer.pk,
        "kind": offer.kind,
        "category": offer.category,
        "what": offer.what,
        "group": offer.group.slug if offer.group else None,
        "member": offer.member.display_name,
        "active": offer.active,
        "created_at": offer.created_at,
    }
    if with_contact:
        row["email"] = offer.member.email
    return row


@transaction.atomic
def export_table(*, kind: str, group: Group | None, with_contact: bool) -> ExportTable:
    """Everything of `kind` (of one group, or all), as rows of plain values.

    Contact details (exact place, address, phone, email) only `with_contact`. Only the
    person running the server can ask for that (the `mutua export` command); each ask
    whose details are exported is logged in the access log, as a reveal on a page is.
    """
    if kind not in EXPORT_COLUMNS:
        raise InvalidInput(_("Cannot export %(kind)s.") % {"kind": kind}, field="kind")
    public, contact = EXPORT_COLUMNS[kind]
    names = public + (contact if with_contact else [])
    rows: list[dict[str, Any]] = []
    if kind == "asks":
        for ask in selectors.asks_to_export(group).iterator(chunk_size=2000):
            rows.append(_ask_row(ask, with_contact))
            if with_contact:
                log_reveal(ask=ask, viewer=None, reason=OPERATOR_REASON, channel="export")
    elif kind == "offers":
        rows = [_offer_row(o, with_contact) for o in selectors.offers_to_export(group)]
    else:
        for membership in selectors.memberships_to_export(group).iterator(chunk_size=2000):
            user = membership.user
            profile = getattr(user, "profile", None)
            row: dict[str, Any] = {
                "id": user.pk,
                "name": user.display_name,
                "group": membership.group.slug,
                "joined_at": membership.joined_at,
                "languages": profile.languages if profile else [],
                "skills": profile.skills if profile else [],
                "travel_radius_km": profile.travel_radius_km if profile else None,
                "home_cell": profile.home_cell if profile else "",
                "paused": profile.paused if profile else False,
            }
            if with_contact:
                row["email"] = user.email
            rows.append(row)
    if with_contact and kind != "asks":
        # The access log is per ask; other contact exports leave their mark in the log.
        logger.warning(
            "Exported the email addresses of %d %s%s.",
            len(rows),
            kind,
            f" of {group.slug}" if group else "",
        )
    return ExportTable(kind=kind, columns=names, rows=rows)
