"""What notify forgets when privacy erases: registered with privacy.erasure at start-up.

Messages quote asks and name people; texts carry numbers and, in replies, the contact of
an ask and the name of its helper. Encrypted at rest, they are still personal data while
the key exists, so they go when the ask they are about is purged or the person they are
about is erased. The tables are small (texts are kept for days, messages for weeks:
services.retention), so the rows that merely quote a value are found by reading them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from mutua.aid.models import Ask, AskEvent
from mutua.core.phones import lookup_hash
from mutua.notify import sms
from mutua.notify.models import InboundSms, IntakeDraft, Message, Preference, SmsSender
from mutua.notify.services.relay import relay_key_prefix
from mutua.people.models import User

# Shorter values (a first name such as "Al") would match unrelated text.
_MIN_QUOTED = 4


def _quoting(values: Iterable[str]) -> list[str]:
    return [v.strip().lower() for v in values if v and len(v.strip()) >= _MIN_QUOTED]


def _delete_messages_quoting(values: list[str], *, since: object = None) -> None:
    if not values:
        return
    rows = Message.objects.all() if since is None else Message.objects.filter(created_at__gte=since)
    doomed = [
        m.pk
        for m in rows.only("pk", "to", "subject", "body").iterator()
        if any(v in f"{m.to}\n{m.subject}\n{m.body}".lower() for v in values)
    ]
    Message.objects.filter(pk__in=doomed).delete()


def _delete_texts_quoting(values: list[str]) -> None:
    if not values:
        return
    doomed = [
        t.pk
        for t in InboundSms.objects.only("pk", "body", "reply").iterator()
        if any(v in f"{t.body}\n{t.reply}".lower() for v in values)
    ]
    InboundSms.objects.filter(pk__in=doomed).delete()
    drafts = [
        d.pk
        for d in IntakeDraft.objects.only("pk", "text").iterator()
        if any(v in d.text.lower() for v in values)
    ]
    IntakeDraft.objects.filter(pk__in=drafts).delete()


def forget_ask(ask: Ask) -> None:
    """Delete the messages about the ask and the texts that made it or quote it."""
    events = AskEvent.objects.filter(ask=ask).values_list("pk", flat=True)
    about = Q(pk__in=[])
    for event_id in events:
        about |= Q(key__startswith=f"ask-event:{event_id}:")
    Message.objects.filter(about).delete()
    # The conversation's messages passed on, and the texts written into it ("#A12 ...").
    Message.objects.filter(key__startswith=relay_key_prefix(ask.pk)).delete()
    relayed = [
        t.pk
        for t in InboundSms.objects.filter(command=sms.RELAY).only("pk", "body").iterator()
        if sms.parse(t.body).ref == ask.pk
    ]
    InboundSms.objects.filter(pk__in=relayed).delete()
    quoted = _quoting(
        [ask.what, ask.contact_name, ask.contact_phone, ask.contact_email, ask.address]
    )
    # Suggestions to helpers and daily digests quote the ask without naming it in the key.
    _delete_messages_quoting(quoted, since=ask.created_at)
    IntakeDraft.objects.filter(ask=ask).delete()
    if ask.contact_phone:
        digest = lookup_hash(ask.contact_phone)
        InboundSms.objects.filter(phone_hash=digest).delete()
        IntakeDraft.objects.filter(phone_hash=digest).delete()
    _delete_texts_quoting(quoted)


def forget_person(user: User) -> None:
    """Delete the person's preferences (linked phone, Apprise address), every message to
    or about them, and every text from their number or naming them."""
    preference = Preference.objects.filter(user=user).first()
    hashes = [preference.phone_hash] if preference and preference.phone_hash else []
    Message.objects.filter(user=user).delete()
    InboundSms.objects.filter(phone_hash__in=hashes).delete()
    IntakeDraft.objects.filter(phone_hash__in=hashes).delete()
    SmsSender.objects.filter(phone_hash__in=hashes).delete()
    Preference.objects.filter(user=user).delete()
    quoted = _quoting([user.email, user.display_name])
    _delete_messages_quoting(quoted)
    _delete_texts_quoting(quoted)
