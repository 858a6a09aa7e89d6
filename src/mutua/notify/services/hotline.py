"""Phone intake: the hotline records asks for callers and deals with texts that need a
call back."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.models import Ask
from mutua.core.errors import Conflict, NotAllowed
from mutua.core.phones import lookup_hash
from mutua.notify import selectors, sms
from mutua.notify.models import DraftStatus, IntakeDraft
from mutua.people.models import User


def draft_from_text(*, phone: str, what: str, language: str) -> IntakeDraft:
    """Keep a text for the hotline; more texts from the number add to its open draft. Runs
    in the caller's transaction (the text being answered)."""
    draft = (
        IntakeDraft.objects.select_for_update()
        .filter(phone_hash=lookup_hash(phone), status=DraftStatus.OPEN)
        .first()
    )
    if draft is None:
        return IntakeDraft.objects.create(
            phone=phone,
            phone_hash=lookup_hash(phone),
            text=what[: sms.MAX_LENGTH],
            language=language,
        )
    draft.text = f"{draft.text}\n{what}"[-sms.MAX_LENGTH :]
    draft.save(update_fields=["text"])
    return draft


@transaction.atomic
def record_phone_ask(
    *,
    volunteer: User,
    what: str,
    category: str,
    urgency: int,
    language: str,
    lat: float,
    lon: float,
    consent: bool,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    draft: IntakeDraft | None = None,
    approve_helper: bool = False,
    allow_duplicate: bool = False,
) -> Ask:
    """Record an ask a caller made on the phone. The volunteer confirms the caller agreed,
    aloud, to their details being kept; the ask keeps who recorded that, and when.

    A similar ask from the same number within a day is refused (aid.services.DuplicateAsk)
    unless the volunteer checked with the caller that it is a new one (`allow_duplicate`)."""
    if not selectors.may_use_hotline(volunteer):
        raise NotAllowed(_("Only members who hold the hotline role can record asks for callers."))
    if draft is not None:
        taken = IntakeDraft.objects.filter(pk=draft.pk, status=DraftStatus.OPEN).update(
            status=DraftStatus.DONE, handled_by=volunteer, handled_at=timezone.now()
        )
        if not taken:
            raise Conflict(_("Someone on the hotline has already dealt with this text."))
    ask = aid_services.create_ask(
        what=what,
        category=category,
        urgency=urgency,
        language=language,
        lat=lat,
        lon=lon,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
        consent=consent,
        recorded_by=volunteer,
        approve_helper=approve_helper,
        allow_duplicate=allow_duplicate,
    )
    if draft is not None:
        IntakeDraft.objects.filter(pk=draft.pk).update(ask=ask)
    return ask


@transaction.atomic
def dismiss_draft(*, volunteer: User, draft: IntakeDraft) -> IntakeDraft:
    """Set aside a text that needs no ask (a wrong number, a duplicate)."""
    if not selectors.may_use_hotline(volunteer):
        raise NotAllowed(_("Only members who hold the hotline role can deal with texts."))
    now = timezone.now()
    taken = IntakeDraft.objects.filter(pk=draft.pk, status=DraftStatus.OPEN).update(
        status=DraftStatus.DISMISSED, handled_by=volunteer, handled_at=now
    )
    if not taken:
        raise Conflict(_("Someone on the hotline has already dealt with this text."))
    draft.status = DraftStatus.DISMISSED
    return draft
