"""Writes for privacy: the access log, the retention purge, export and erasure of a
person's data, reports to the safeguarding role and blocks between members."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.disclosure import Channel, Move, Reveal
from mutua.aid.models import Ask, AskEvent, AskStatus, Claim, ClaimOutcome, Offer
from mutua.aid.policy import Actor
from mutua.aid.services import safeguards
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.fields import EncryptedFloatField, EncryptedTextField
from mutua.core.text import clean_text
from mutua.governance.models import GroupSettings
from mutua.groups.models import Group, Membership
from mutua.people.models import ApiToken, Profile, User
from mutua.people.services import end_sessions
from mutua.privacy import erasure, policy
from mutua.privacy.models import AccessLog, Block, Report

CLOSED = (AskStatus.DONE, AskStatus.CANCELLED, AskStatus.EXPIRED)
# Columns never written to an export: they are secrets, not information about the person.
_SECRET_FIELDS = {"password", "key_hash", "secret", "token"}
# Rows that name the person but belong to someone else: who reported or blocked them
# (safeguarding), and the details of callers whose asks they entered on the hotline.
_NOT_THEIRS = {
    ("privacy.report", "member"),
    ("privacy.block", "blocked"),
    ("aid.ask", "recorded_by"),
}


def reveal(*, viewer: Actor, ask: Ask, channel: Channel) -> Reveal:
    """Whether `viewer` may see the ask's exact place and contact through `channel`
    (`policy.may_see_private` decides), and if so an access log row saying who, why and
    through which door. Pages, the API, text messages and exports all come here."""
    decision = policy.may_see_private(viewer=viewer, ask=ask, channel=channel)
    if decision.allowed:
        AccessLog.objects.create(
            ask=ask, viewer=viewer.account, reason=decision.reason, channel=channel
        )
        helper = viewer.account
        if decision.reason == AccessLog.Reason.HELPER and helper is not None:
            # A release from now on counts towards pausing the helper's claiming.
            safeguards.note_reveal(ask=ask, helper=helper)
    return decision


def record_move(*, ask: Ask, actor: User | None, move: Move, channel: str) -> None:
    """An access log row for an ask handed on: its details went to another group's roles
    or another server, which the person who asked sees like any reveal."""
    AccessLog.objects.create(
        ask=ask, viewer=actor, reason=AccessLog.Reason(move.value), channel=channel
    )


def _erase_ask(ask: Ask, *, now: datetime) -> None:
    """Wipe every personal column of the ask, keeping what the impact figures count
    (category, urgency, language, status, group, public cell, dates).

    `what` goes too: people write names, addresses and health details into it. Copies
    kept by other apps (messages quoting the ask, texts from the asker's number) go first,
    while the ask can still say what they are (privacy.erasure).
    """
    erasure.ask_purged(ask)
    Ask.objects.filter(pk=ask.pk).update(
        what="",
        address="",
        contact_name="",
        contact_phone="",
        contact_email="",
        phone_lookup="",
        email_lookup="",
        # The exact place becomes the public cell's centre, which the board showed anyway.
        lat=ask.public_lat,
        lon=ask.public_lon,
        asker=None,
        recorded_by=None,
        personal_data_erased_at=now,
    )
    AskEvent.objects.filter(ask=ask).update(actor=None)
    # Who saw the details of an ask that no longer holds any tells only who helped whom.
    AccessLog.objects.filter(ask=ask).delete()


@dataclass
class PurgeReport:
    """What a purge erased (or would erase, with dry_run), by ask status."""

    dry_run: bool
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def asks(self) -> int:
        return sum(self.by_status.values())


def _retention_days() -> dict[int, int]:
    """Group id -> retention in days, for groups that chose their own."""
    rows = GroupSettings.objects.filter(retention_days__isnull=False)
    return {row.group_id: int(row.retention_days or 0) for row in rows}


def purge_personal_data(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Erase the personal fields of asks closed (done, cancelled, expired) longer ago than
    the retention period: the group's own setting, or MUTUA_RETENTION_DAYS. Running it
    again erases nothing more. Counts per category, area and week survive."""
    now = now or timezone.now()
    default = timedelta(days=settings.MUTUA_RETENTION_DAYS)
    per_group = _retention_days()
    # The latest cutoff any group uses: an ask closed after it is kept by everyone.
    latest_cutoff = now - min([default, *(timedelta(days=d) for d in per_group.values())])
    candidates = Ask.objects.filter(
        status__in=CLOSED, personal_data_erased_at__isnull=True, updated_at__lte=latest_cutoff
    )
    report = PurgeReport(dry_run=dry_run)
    for ask in candidates.iterator():
        days = per_group.get(ask.group_id) if ask.group_id is not None else None
        retention = timedelta(days=days) if days is not None else default
        if ask.updated_at > now - retention:
            continue
        report.by_status[ask.status] = report.by_status.get(ask.status, 0) + 1
        if not dry_run:
            with transaction.atomic():
                _erase_ask(ask, now=now)
    return report


def _encrypted_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedTextField | EncryptedFloatField)
    ]


def rotate_encryption() -> int:
    """Re-encrypt every encrypted value of every table (asks' private details, notify's
    contacts and texts) with the newest key; returns how many rows. Raises
    crypto.InvalidToken, writing nothing, if some cannot be decrypted."""
    count = 0
    with transaction.atomic():
        for model in apps.get_models():
            names = _encrypted_fields(model)
            if not names:
                continue
            last_pk: Any = 0
            while True:
                # In batches by id rather than a server-side cursor, which a failed
                # decryption would leave open in the rolled-back transaction on PostgreSQL.
                batch = list(
                    model._default_manager.filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", *names)[:500]
                )
                if not batch:
                    break
                for row in batch:
                    # Reading decrypted with any listed key; saving encrypts with the first.
                    row.save(update_fields=names)
                count += len(batch)
                last_pk = batch[-1].pk
    return count


def _rows_about(user: User) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table that points at the person, as plain data."""
    found: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        links = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey)
            and f.related_model is User
            and (model._meta.label_lower, f.name) not in _NOT_THEIRS
        ]
        if model is User:
            links = ["pk"]
        query = models.Q()
        for name in links:
            query |= models.Q(**{name: user.pk})
        if not links:
            continue
        rows = serializers.serialize("python", model._default_manager.filter(query).order_by("pk"))
        if rows:
            found[model._meta.label_lower] = [
                {
                    "id": row["pk"],
                    **{k: v for k, v in row["fields"].items() if k not in _SECRET_FIELDS},
                }
                for row in rows
            ]
    return found


def export_person(*, user: User) -> str:
    """Everything mutua holds about the person, as JSON: their account and profile, every
    row that names them (asks with their contact details, claims, offers, memberships,
    roles, messages...), and who saw the details of their asks."""
    seen = AccessLog.objects.filter(ask__asker=user).select_related("viewer")
    data = {
        "exported_at": timezone.now(),
        "email": user.email,
        "tables": _rows_about(user),
        "who_saw_my_asks": [
            {
                "ask": entry.ask_id,
                "viewer": entry.viewer.display_name if entry.viewer else None,
                "reason": entry.reason,
                "channel": entry.channel,
                "at": entry.at,
            }
            for entry in seen
        ],
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def pseudonym() -> str:
    return _("Neighbour %(code)s") % {"code": secrets.token_hex(3).upper()}


@transaction.atomic
def erase_account(*, user: User, confirm_email: str) -> str:
    """Erase a person's account for good; `confirm_email` must be their address.

    Their asks are closed and their personal fields wiped; claims, offers, events and
    ledger lines stay, under a pseudonym, so the group's history still adds up; the login
    is disabled, every session of theirs ended, and the email, profile, tokens and
    memberships are destroyed. Returns the pseudonym.
    """
    if confirm_email.strip().lower() != user.email.lower():
        raise InvalidInput(_("Type your email address exactly to confirm."), field="confirm_email")
    now = timezone.now()
    # Asks they were going to help with go back to the board; the askers are told.
    for claim in Claim.objects.filter(helper=user, outcome=ClaimOutcome.ACTIVE).select_related(
        "ask"
    ):
        aid_services.release_ask(ask=claim.ask, helper=user)
    for ask in Ask.objects.filter(asker=user):
        if ask.status not in CLOSED:
            # Nobody can reach the person any more, so the ask cannot be met; a helper
            # on the way is told it is off.
            aid_services.cancel_ask(ask=ask, actor=Actor(user=user))
        _erase_ask(ask, now=now)
    name = pseudonym()
    Offer.objects.filter(member=user).update(active=False)
    Membership.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    Block.objects.filter(models.Q(blocker=user) | models.Q(blocked=user)).delete()
    Report.objects.filter(reporter=user).update(reporter=None)
    erasure.person_erased(user)
    Profile.objects.filter(user=user).delete()
    Profile.objects.create(user=user, display_name=name)
    _delete_email_addresses(user)
    user.email = f"erased-{user.pk}@invalid"
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    end_sessions(user=user)
    return name


def _delete_email_addresses(user: User) -> None:
    # allauth keeps its own copy of the address.
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()


def _group_of(*, ask: Ask | None, offer: Offer | None, member: User | None) -> Group | None:
    if ask is not None:
        return ask.group
    if offer is not None:
        return offer.group
    if member is not None:
        membership = Membership.objects.filter(user=member).select_related("group").first()
        return membership.group if membership else None
    return None


@transaction.atomic
def report(
    *,
    reporter: User | None,
    why: str,
    ask: Ask | None = None,
    offer: Offer | None = None,
    member: User | None = None,
) -> Report:
    """Pass a worry about one ask, offer or member to the group's safeguarding role.
    Anyone may report, with or without an account."""
    subjects = [s for s in (ask, offer, member) if s is not None]
    if len(subjects) != 1:
        raise InvalidInput(_("Report one ask, one offer or one member."))
    text = clean_text(why, field="why", label=_("what worries you"), limit=2000, required=True)
    kind = (
        Report.Kind.ASK if ask is not None else Report.Kind.OFFER if offer else Report.Kind.MEMBER
    )
    return Report.objects.create(
        kind=kind,
        group=_group_of(ask=ask, offer=offer, member=member),
        reporter=reporter if reporter is not None and reporter.is_authenticated else None,
        ask=ask,
        offer=offer,
        member=member,
        why=text,
    )


def block(*, blocker: User, blocked: User) -> Block:
    """Never match these two members again, in either direction. Blocking twice is harmless."""
    if blocker.pk == blocked.pk:
        raise NotAllowed(_("You cannot block yourself."))
    try:
        with transaction.atomic():
            row, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        raise Conflict(_("That block was just made.")) from None
    return row


def unblock(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
