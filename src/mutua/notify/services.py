"""Writes for notifications: the outbox and its delivery, who is told of what, preferences,
texts received, phone intake, and the worker's periodic jobs.

A message's life in the outbox:

    pending --a worker claims it--> sending --sent--> sent
       ^                              |  \\--opted out--> skipped
       +----failed, attempts left-----+   \\--failed for good--> failed
    sending, its worker dead (lease over) --another worker claims it--> sending
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, AskEvent, AskStatus, Claim, ClaimOutcome, ConsentChannel
from mutua.aid.selectors import active_helper_id, asker_key, board
from mutua.core import geo
from mutua.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from mutua.core.forms import resolve_place
from mutua.core.text import clean_text, is_language_code
from mutua.groups.models import Membership
from mutua.matching import services as matching_services
from mutua.matching.models import Proposal, ProposalStatus
from mutua.notify import delivery, messages, selectors, sms
from mutua.notify.models import (
    Channel,
    DraftStatus,
    InboundSms,
    IntakeDraft,
    Message,
    MessageStatus,
    NearbyAsks,
    Preference,
    ScheduledJob,
    SmsSender,
)
from mutua.people.models import User
from mutua.privacy.models import AccessLog
from mutua.privacy.services import log_reveal

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=30)  # then 1, 2, 4 ... minutes: about two hours in all
BACKOFF_CAP = timedelta(hours=1)
LINK_CODE_LIFETIME = timedelta(hours=1)
LINK_TRIES = 5  # LINK texts from one number in LINK_CODE_LIFETIME
# Texts received are kept only as long as a retried delivery can come (hours, at most),
# and a little more to look into a problem: they hold numbers and what people need.
KEEP_TEXTS = timedelta(days=7)
KEEP_MESSAGES = timedelta(days=30)
DIGEST_MAX_ASKS = 20
SWEEP_BATCH = 200
PROPOSAL_BATCH = 500


# The outbox.


def queue_message(
    *,
    key: str,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    user: User | None = None,
    not_before: datetime | None = None,
) -> Message:
    """Add a message to the outbox in the caller's transaction; a worker sends it once that
    transaction has committed (not before `not_before`). Queuing a key again returns the
    message already queued under it and sends nothing more."""
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel: %(c)s") % {"c": channel}, field="channel")
    now = timezone.now()
    with transaction.atomic():
        existing = Message.objects.filter(key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    key=key,
                    channel=channel,
                    to=to,
                    subject=subject[:200],
                    body=body,
                    user=user,
                    next_attempt_at=max(now, not_before or now),
                )
        except IntegrityError:
            # Queued by a concurrent announcement of the same event: that one stands.
            return Message.objects.get(key=key)
        # robust: the message is safely stored; a failure to queue the task must not undo
        # the caller's work, and the worker's sweep picks the message up anyway.
        transaction.on_commit(partial(_schedule, message.pk, message.next_attempt_at), robust=True)
    return message


def _schedule(message_id: int, at: datetime) -> None:
    # Imported here: the tasks module imports this one.
    from mutua.notify.tasks import send_message

    if at <= timezone.now():
        send_message.enqueue(message_id)
    elif send_message.get_backend().supports_defer:
        send_message.using(run_after=at).enqueue(message_id)
    # Otherwise the backend cannot wait (the immediate one): the sweep sends it when due.


def _due(now: datetime) -> Q:
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, lease_until__lte=now
    )


def deliver(*, message_id: int, now: datetime | None = None) -> str:
    """Send one message if it is due and nobody else is sending it; returns its status.

    Not one transaction, on purpose: the claim (pending -> sending, with a lease) commits
    before anything goes on the wire, so that of two workers only one sends, and a worker
    that dies mid-send leaves a row another worker takes up once the lease is over. A row
    already sent is never claimed again, so it is never sent twice.
    """
    now = now or timezone.now()
    lease_until = now + timedelta(seconds=settings.MUTUA_NOTIFY_LEASE_SECONDS)
    claimed = (
        Message.objects.filter(pk=message_id)
        .filter(_due(now))
        .update(status=MessageStatus.SENDING, lease_until=lease_until, attempts=F("attempts") + 1)
    )
    if not claimed:
        status = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
        return str(status or "gone")
    message = Message.objects.get(pk=message_id)
    if message.channel == Channel.SMS and selectors.is_opted_out(message.to):
        _finish(message, MessageStatus.SKIPPED, error="the number has opted out (STOP)")
        return MessageStatus.SKIPPED
    try:
        if message.channel == Channel.EMAIL:
            delivery.send_email(to=message.to, subject=message.subject, body=message.body)
        elif message.channel == Channel.SMS:
            delivery.send_sms(phone=message.to, body=message.body)
        else:
            delivery.send_apprise(url=message.to, title=message.subject, body=message.body)
    except delivery.DeliveryError as exc:
        return _failed(message, exc.reason, permanent=exc.permanent)
    except Exception as exc:
        # A fault inside a transport library: counted as a failed attempt, so the message
        # is retried and, in the end, given up on instead of being taken up forever.
        logger.exception("message %s: unexpected error while sending", message.pk)
        return _failed(message, f"{type(exc).__name__}: {exc}", permanent=False)
    _finish(message, MessageStatus.SENT)
    return MessageStatus.SENT


def _finish(
    message: Message, status: str, *, error: str = "", retry_at: datetime | None = None
) -> None:
    # Only while the row is still this attempt's: a worker whose lease ran out must not
    # overwrite what the worker that took over recorded.
    now = timezone.now()
    updated = Message.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, attempts=message.attempts
    ).update(
        status=status,
        last_error=error[:500],
        lease_until=None,
        sent_at=now if status == MessageStatus.SENT else None,
        next_attempt_at=retry_at or F("next_attempt_at"),
    )
    if not updated:
        logger.warning("message %s was taken over by another worker meanwhile", message.pk)


def _failed(message: Message, reason: str, *, permanent: bool) -> str:
    if permanent or message.attempts >= MAX_ATTEMPTS:
        logger.warning("message %s failed for good: %s", message.pk, reason)
        _finish(message, MessageStatus.FAILED, error=reason)
        return MessageStatus.FAILED
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (message.attempts - 1))
    logger.info(
        "message %s failed (attempt %s), retrying: %s", message.pk, message.attempts, reason
    )
    _finish(message, MessageStatus.PENDING, error=reason, retry_at=timezone.now() + delay)
    return MessageStatus.PENDING


def deliver_due(*, now: datetime | None = None) -> int:
    """Send what is due: retries whose wait is over, and messages whose worker died
    mid-send. Returns how many were sent. Safe to run any number of times, anywhere."""
    now = now or timezone.now()
    ids = list(
        Message.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(deliver(message_id=pk, now=now) == MessageStatus.SENT for pk in ids)


# Who is told, and how.


@dataclass(frozen=True)
class Recipient:
    """Where one person is told, each empty when not on that channel."""

    user: User | None
    language: str
    email: str = ""
    phone: str = ""
    apprise_url: str = ""
    not_before: datetime | None = None


def _after_quiet_hours(pref: Preference | None, now: datetime) -> datetime | None:
    """The end of the member's quiet hours if `now` falls in them, else None."""
    if pref is None or pref.quiet_from is None or pref.quiet_to is None:
        return None
    start, end = pref.quiet_from, pref.quiet_to
    if start == end:
        return None
    local = timezone.localtime(now)
    clock = local.time()
    if start < end:
        inside, day = start <= clock < end, local.date()
    else:  # overnight, e.g. 22:00 to 07:00
        inside = clock >= start or clock < end
        day = local.date() if clock < end else local.date() + timedelta(days=1)
    if not inside:
        return None
    return datetime.combine(day, end, tzinfo=local.tzinfo)


def member_recipient(user: User, *, now: datetime | None = None) -> Recipient:
    pref = selectors.preference_of(user)
    sms_on = pref is not None and pref.by_sms and bool(pref.phone) and delivery.sms_configured()
    return Recipient(
        user=user,
        language=selectors.language_of(user),
        email=user.email if pref is None or pref.by_email else "",
        phone=pref.phone if pref is not None and sms_on else "",
        apprise_url=pref.apprise_url if pref is not None else "",
        not_before=_after_quiet_hours(pref, now or timezone.now()),
    )


def _asker_recipient(ask: Ask) -> Recipient:
    """The person who asked: their settings if they have an account, else the contact they
    gave (a text only if they have texted the group themselves)."""
    if ask.asker is not None:
        return member_recipient(ask.asker)
    texted = bool(ask.contact_phone) and selectors.sender(ask.contact_phone) is not None
    return Recipient(
        user=None,
        language=ask.language,
        email=ask.contact_email,
        phone=ask.contact_phone if texted and delivery.sms_configured() else "",
    )


def tell(*, key: str, event: str, context: dict[str, Any], to: Recipient) -> int:
    """Queue one event's message for one person on each of their channels."""
    if not (to.email or to.phone or to.apprise_url):
        return 0
    text = messages.render(event, context, language=to.language)
    queued = 0
    for channel, address in (
        (Channel.EMAIL, to.email),
        (Channel.SMS, to.phone),
        (Channel.APPRISE, to.apprise_url),
    ):
        if not address:
            continue
        body = text.short if channel == Channel.SMS else text.body
        queue_message(
            key=f"{key}:{channel}",
            channel=channel,
            to=address,
            subject=text.subject,
            body=body,
            user=to.user,
            not_before=to.not_before,
        )
        queued += 1
    return queued


def fits(user: User, ask: Ask) -> bool:
    """Whether a new ask is near the member and of a kind they help with."""
    profile = getattr(user, "profile", None)
    if profile is None:
        return True
    if profile.paused or (profile.skills and ask.category not in profile.skills):
        return False
    if profile.home_lat is None or profile.home_lon is None:
        return True
    distance = geo.haversine_km(profile.home_lat, profile.home_lon, ask.public_lat, ask.public_lon)
    return bool(distance <= max(1, profile.travel_radius_km))


def notify_ask_event(*, event_id: int) -> int:
    """Tell the people an ask's change concerns; returns how many messages were queued.
    Announcing the same event again queues nothing more."""
    event = (
        AskEvent.objects.select_related("ask__asker__profile", "ask__group", "actor__profile")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    ask = event.ask
    key = f"ask-event:{event.pk}"
    if event.kind == AskEvent.Kind.CREATED:
        return _tell_nearby(ask, key)
    if event.kind == AskEvent.Kind.CANCELLED:
        return _tell_helper_of_cancel(ask, key)
    if event.kind not in (AskEvent.Kind.CLAIMED, AskEvent.Kind.DONE):
        return 0
    if event.actor_id is not None and event.actor_id == ask.asker_id:
        return 0  # the asker did it: nothing to tell them
    ask_path = f"/asks/{ask.pk}/" if ask.asker_id else f"/asks/{ask.pk}/?key={asker_key(ask)}"
    context = {
        "ask": ask,
        "helper_name": event.actor.display_name if event.actor else _("A neighbour"),
        "link": messages.link(ask_path),
    }
    name = "ask_claimed" if event.kind == AskEvent.Kind.CLAIMED else "ask_done"
    return tell(key=f"{key}:asker", event=name, context=context, to=_asker_recipient(ask))


def _tell_helper_of_cancel(ask: Ask, key: str) -> int:
    """The helper who had taken the ask, if anyone had: it is off, they need not go."""
    # An ask is cancelled once, ending at most one claim: that claim is this cancel's.
    claim = (
        Claim.objects.filter(ask=ask, outcome=ClaimOutcome.CANCELLED)
        .select_related("helper__profile")
        .first()
    )
    if claim is None:
        return 0
    context = {"ask": ask, "link": messages.link(f"/asks/{ask.pk}/")}
    return tell(
        key=f"{key}:helper",
        event="claim_cancelled",
        context=context,
        to=member_recipient(claim.helper),
    )


def _tell_nearby(ask: Ask, key: str) -> int:
    if ask.group_id is None or ask.status != AskStatus.OPEN:
        return 0
    prefs = (
        Preference.objects.filter(
            nearby_asks=NearbyAsks.IMMEDIATE,
            user__is_active=True,
            user__memberships__group_id=ask.group_id,
        )
        .exclude(user_id__in=[i for i in (ask.asker_id, ask.recorded_by_id) if i is not None])
        .select_related("user__profile")
    )
    context = {"ask": ask, "link": messages.link(f"/asks/{ask.pk}/")}
    queued = 0
    for pref in prefs:
        if fits(pref.user, ask):
            queued += tell(
                key=f"{key}:user:{pref.user_id}",
                event="ask_nearby",
                context=context,
                to=member_recipient(pref.user),
            )
    return queued


def notify_new_proposals(*, now: datetime | None = None) -> int:
    """Tell helpers of the dispatch proposals waiting for their answer that they have not
    been told of; returns how many messages were queued. Safe to run any number of times."""
    now = now or timezone.now()
    waiting = (
        Proposal.objects.filter(
            status=ProposalStatus.PENDING, expires_at__gt=now, ask__status=AskStatus.OPEN
        )
        .select_related("ask__group", "helper__profile")
        .order_by("pk")
    )
    queued = 0
    after = 0
    # In batches, all of them: in a surge thousands wait at once, and the newest must not
    # wait behind the oldest.
    while batch := list(waiting.filter(pk__gt=after)[:PROPOSAL_BATCH]):
        after = batch[-1].pk
        keys = [f"proposal:{p.pk}:{c}" for p in batch for c in Channel.values]
        told = {
            k.rsplit(":", 1)[0]
            for k in Message.objects.filter(key__in=keys).values_list("key", flat=True)
        }
        for proposal in batch:
            key = f"proposal:{proposal.pk}"
            if key in told:
                continue
            context = {
                "ask": proposal.ask,
                "proposal": proposal,
                "timeout": settings.MUTUA_PROPOSAL_TIMEOUT_MINUTES,
                "link": messages.link("/me/proposals/"),
            }
            queued += tell(
                key=key,
                event="proposal",
                context=context,
                to=member_recipient(proposal.helper, now=now),
            )
    return queued


def _digest_slot(now: datetime) -> datetime:
    """The latest daily digest time at or before `now`."""
    local = timezone.localtime(now)
    slot = local.replace(hour=settings.MUTUA_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return slot if slot <= local else slot - timedelta(days=1)


def send_digests(*, now: datetime | None = None) -> int:
    """Once a day, tell each member who chose the digest of the new asks that fit them;
    returns how many messages were queued. Running it again the same day sends nothing."""
    now = now or timezone.now()
    slot = _digest_slot(now)
    members = (
        User.objects.filter(is_active=True, memberships__isnull=False)
        .exclude(notify_preference__nearby_asks__in=[NearbyAsks.IMMEDIATE, NearbyAsks.OFF])
        .exclude(notify_preference__last_digest_at__gte=slot)
        .distinct()
        .select_related("profile")
        .order_by("pk")
    )
    queued = 0
    for user in members.iterator(chunk_size=500):
        with transaction.atomic():
            pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
            if pref.last_digest_at is not None and pref.last_digest_at >= slot:
                continue  # another worker got here first
            since = max(pref.last_digest_at or slot - timedelta(days=1), slot - timedelta(days=1))
            group_ids = Membership.objects.filter(user=user).values_list("group_id", flat=True)
            candidates = (
                Ask.objects.open()
                .filter(group_id__in=group_ids, created_at__gte=since)
                .exclude(asker=user)
                .order_by("-urgency", "-created_at")
            )
            asks = [a for a in candidates[: DIGEST_MAX_ASKS * 5] if fits(user, a)][:DIGEST_MAX_ASKS]
            if asks:
                queued += tell(
                    key=f"digest:{user.pk}:{slot.date().isoformat()}",
                    event="digest",
                    context={"asks": asks, "link": messages.link("/board/")},
                    to=member_recipient(user, now=now),
                )
            pref.last_digest_at = now
            pref.save(update_fields=["last_digest_at", "updated_at"])
    return queued


# Preferences.


@transaction.atomic
def update_preferences(
    *,
    user: User,
    by_email: bool,
    by_sms: bool,
    apprise_url: str,
    language: str,
    quiet_from: time | None,
    quiet_to: time | None,
    nearby_asks: str,
) -> Preference:
    """Save how the member wants to be told things."""
    apprise_url = clean_text(
        apprise_url, field="apprise_url", label=_("Apprise address"), limit=500
    )
    if apprise_url and not delivery.is_usable_apprise_url(apprise_url):
        raise InvalidInput(
            _("Apprise cannot send to that address. See the Apprise documentation for the form."),
            field="apprise_url",
        )
    language = language.strip()
    if language and not is_language_code(language):
        raise InvalidInput(_("Language must be a code such as en or pt-BR."), field="language")
    if nearby_asks not in NearbyAsks.values:
        raise InvalidInput(_("Choose how to hear of new asks."), field="nearby_asks")
    if (quiet_from is None) != (quiet_to is None):
        raise InvalidInput(_("Give both ends of the quiet hours, or neither."), field="quiet_to")
    pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
    if by_sms and not pref.phone:
        raise InvalidInput(_("Link your phone first to get text messages."), field="by_sms")
    pref.by_email = by_email
    pref.by_sms = by_sms
    pref.apprise_url = apprise_url
    pref.language = language
    pref.quiet_from = quiet_from
    pref.quiet_to = quiet_to
    pref.nearby_asks = nearby_asks
    pref.save()
    return pref


@transaction.atomic
def start_phone_link(*, user: User) -> Preference:
    """A fresh code for the member to text as `LINK <code>` from the phone to link."""
    pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
    now = timezone.now()
    # Eight digits, valid for an hour: too many to guess by texting, easy on a keypad; and
    # never the code of someone else's link that is still running.
    valid = Preference.objects.filter(link_code_expires_at__gt=now).exclude(pk=pref.pk)
    code = f"{secrets.randbelow(10**8):08d}"
    while valid.filter(link_code=code).exists():
        code = f"{secrets.randbelow(10**8):08d}"
    pref.link_code = code
    pref.link_code_expires_at = now + LINK_CODE_LIFETIME
    pref.save(update_fields=["link_code", "link_code_expires_at", "updated_at"])
    return pref


@transaction.atomic
def unlink_phone(*, user: User) -> Preference:
    pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
    pref.phone = ""
    pref.phone_linked_at = None
    pref.by_sms = False
    pref.save(update_fields=["phone", "phone_linked_at", "by_sms", "updated_at"])
    return pref


def _link_phone(phone: str, code: str) -> User | None:
    now = timezone.now()
    tries = InboundSms.objects.filter(
        phone=phone, command=sms.LINK, received_at__gte=now - LINK_CODE_LIFETIME
    )
    if tries.count() >= LINK_TRIES:
        return None  # guessing codes from one number is cut short
    pref = (
        Preference.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(link_code=code, link_code_expires_at__gt=now, user__is_active=True)
        .first()
    )
    if pref is None:
        return None
    # The number now belongs to whoever last showed they hold it.
    Preference.objects.filter(phone=phone).exclude(pk=pref.pk).update(
        phone="", phone_linked_at=None, by_sms=False
    )
    pref.phone = phone
    pref.phone_linked_at = now
    pref.by_sms = True
    pref.link_code = ""
    pref.link_code_expires_at = None
    pref.save()
    return pref.user


# Texts received.


@dataclass(frozen=True)
class _Text:
    phone: str
    parsed: sms.Parsed
    first_word: str
    member: User | None
    sender: SmsSender


@transaction.atomic
def receive_sms(*, message_sid: str, phone: str, body: str) -> str:
    """Act on one text and return the reply. The same MessageSid again (a retried delivery)
    changes nothing and gets the same reply."""
    phone = sms.normalise_phone(phone)
    if not message_sid or not phone:
        raise InvalidInput(_("A text needs its MessageSid and the sender's number."))
    body = body.replace("\x00", "")[: sms.MAX_LENGTH]
    try:
        with transaction.atomic():
            inbound = InboundSms.objects.create(message_sid=message_sid, phone=phone, body=body)
    except IntegrityError:
        # Delivered before (or at this very moment, and that delivery has committed).
        return InboundSms.objects.get(message_sid=message_sid).reply
    parsed = sms.parse(body)
    sender, _created = SmsSender.objects.get_or_create(phone=phone)
    if parsed.language and sender.language != parsed.language:
        sender.language = parsed.language
        sender.save(update_fields=["language", "updated_at"])
    member = selectors.member_by_phone(phone)
    language = (
        parsed.language
        or (selectors.language_of(member) if member else "")
        or sender.language
        or str(settings.LANGUAGE_CODE)
    )
    text = _Text(phone, parsed, body.split()[0].upper() if body.split() else "", member, sender)
    with translation.override(language):
        try:
            reply = _answer(text, language)
        except DomainError as exc:
            # The service refused and wrote nothing; its reason is the reply.
            reply = exc.message
    inbound.command = parsed.command
    inbound.reply = reply
    inbound.save(update_fields=["command", "reply"])
    return reply


def _usage() -> str:
    return _(
        "To ask for help, text HELP, what you need and where, for example: HELP shopping in "
        "Hackney. Members: YES 12 takes ask 12, NO 12 passes, DONE 12, RELEASE 12, LIST. "
        "STOP stops all texts."
    )


def _answer(text: _Text, language: str) -> str:
    parsed = text.parsed
    command = parsed.command
    if command == sms.STOP:
        text.sender.opted_out_at = timezone.now()
        text.sender.save(update_fields=["opted_out_at", "updated_at"])
        return _("You will get no more texts from %(site)s. Text START to get them again.") % {
            "site": settings.MUTUA_SITE_NAME
        }
    if command == sms.START:
        text.sender.opted_out_at = None
        text.sender.save(update_fields=["opted_out_at", "updated_at"])
        return _("You will get texts from %(site)s again. Text HELP to see what you can send.") % {
            "site": settings.MUTUA_SITE_NAME
        }
    if command == sms.INFO:
        return _usage()
    if command == sms.UNKNOWN:
        return _("Sorry, we did not understand that.") + " " + _usage()
    if command == sms.ASK:
        return _ask_by_text(text, language)
    if command == sms.TEXT:
        _draft(text.phone, parsed.text, language)
        return _(
            "Thank you, we got your message. A volunteer will call you back on this number. "
            "To ask straight away, text HELP, what you need and where, for example: HELP "
            "shopping in Hackney"
        )
    if command == sms.LINK:
        user = _link_phone(text.phone, parsed.text) if not parsed.problem else None
        if user is None:
            return _(
                "That code is not right or has expired. Get a new one on your notifications page."
            )
        return _(
            "This number is now linked to %(name)s. You can answer with YES, NO, DONE, "
            "RELEASE and LIST."
        ) % {"name": user.display_name}
    if parsed.problem:
        return _("Please send %(word)s and the ask's number, for example: %(word)s 12") % {
            "word": text.first_word
        }
    if command == sms.DONE:
        return _done_by_text(text)
    member = text.member
    if member is None:
        return _(
            "This number is not linked to a member. To link it, open your notifications "
            "page on the website and text the code it shows."
        )
    if command == sms.LIST:
        return _list_by_text(member)
    assert parsed.ref is not None  # every other command has its ask's number
    ask = Ask.objects.filter(pk=parsed.ref).first()
    if ask is None:
        return _("There is no ask #%(ref)d.") % {"ref": parsed.ref}
    if command == sms.YES:
        return _yes_by_text(member, ask)
    if command == sms.NO:
        proposal = _pending_proposal(member, ask)
        if proposal is None:
            return _("There is no suggestion waiting for you on ask #%(ref)d.") % {"ref": ask.pk}
        matching_services.decline_proposal(proposal=proposal, helper=member)
        return _("Thank you for answering. Ask #%(ref)d will go to someone else.") % {"ref": ask.pk}
    aid_services.release_ask(ask=ask, helper=member)
    return _("Ask #%(ref)d is back on the board for someone else. Thank you for telling us.") % {
        "ref": ask.pk
    }


def _draft(phone: str, what: str, language: str) -> IntakeDraft:
    """Keep a text for the hotline; more texts from the number add to its open draft."""
    draft = (
        IntakeDraft.objects.select_for_update().filter(phone=phone, status=DraftStatus.OPEN).first()
    )
    if draft is None:
        return IntakeDraft.objects.create(
            phone=phone, text=what[: sms.MAX_LENGTH], language=language
        )
    draft.text = f"{draft.text}\n{what}"[-sms.MAX_LENGTH :]
    draft.save(update_fields=["text"])
    return draft


def _ask_by_text(text: _Text, language: str) -> str:
    found = next(
        (
            (what, point)
            for what, where in sms.split_place(text.parsed.text)
            if (point := resolve_place(where)) is not None
        ),
        None,
    )
    if found is None:
        _draft(text.phone, text.parsed.text, language)
        return _(
            "Thank you. We could not tell where you are, so a volunteer will call you back on "
            "this number. Or text HELP again with your town or district, for example: HELP "
            "shopping in Hackney"
        )
    what, point = found
    # Texting HELP to the group's number is the asker's agreement; the reply says what
    # happens to the number, as the web form's consent box does.
    ask = aid_services.create_ask(
        what=what,
        category=sms.guess_category(what),
        lat=point[0],
        lon=point[1],
        consent=True,
        consent_channel=ConsentChannel.SMS,
        language=language,
        contact_phone=text.phone,
        asker=text.member,
    )
    if ask.group is None:
        return _(
            "Thank you. Your ask is #%(ref)d. No group covers that place yet; we have passed "
            "it on. Only the person who helps sees your number. Text STOP to stop texts."
        ) % {"ref": ask.pk}
    return _(
        "Thank you. Your ask #%(ref)d is on the board of %(area)s. A neighbour will contact "
        "you on this number; only they see it. Text STOP to stop texts."
    ) % {"ref": ask.pk, "area": ask.group.name}


def _pending_proposal(member: User, ask: Ask) -> Proposal | None:
    return (
        Proposal.objects.filter(ask=ask, helper=member, status=ProposalStatus.PENDING)
        .select_related("ask")
        .first()
    )


def _yes_by_text(member: User, ask: Ask) -> str:
    proposal = _pending_proposal(member, ask)
    if proposal is not None:
        matching_services.accept_proposal(proposal=proposal, helper=member)
    else:
        aid_services.claim_ask(ask=ask, helper=member)
    ask.refresh_from_db()
    log_reveal(ask=ask, viewer=member, reason=AccessLog.Reason.HELPER, channel="sms")
    contact = ", ".join(x for x in (ask.contact_name, ask.contact_phone, ask.address) if x)
    return _(
        "You have ask #%(ref)d: %(what)s. Contact: %(contact)s. Text DONE %(ref)d when it is "
        "done, or RELEASE %(ref)d to give it back."
    ) % {
        "ref": ask.pk,
        "what": ask.what[:300],
        "contact": contact or _("see the ask on the website"),
    }


def _done_by_text(text: _Text) -> str:
    ref = text.parsed.ref
    assert ref is not None  # parse() gives DONE its number or a problem
    ask = Ask.objects.filter(pk=ref).first()
    if ask is None:
        return _("There is no ask #%(ref)d.") % {"ref": ref}
    member = text.member
    is_helper = member is not None and active_helper_id(ask) == member.pk
    # The person who asked by phone is known by their number.
    by_asker = not is_helper and sms.phone_key(ask.contact_phone) == sms.phone_key(text.phone)
    if member is None and not by_asker:
        raise NotAllowed(_("Only the helper or the person who asked can mark this done."))
    aid_services.complete_ask(ask=ask, actor=member, by_asker=by_asker)
    if by_asker:
        return _("Thank you for telling us. Ask #%(ref)d is closed.") % {"ref": ask.pk}
    return _("Thank you! Ask #%(ref)d is done.") % {"ref": ask.pk}


def _list_by_text(member: User) -> str:
    profile = getattr(member, "profile", None)
    if profile is not None and profile.home_lat is not None and profile.home_lon is not None:
        items = board(
            near=(profile.home_lat, profile.home_lon),
            radius_km=max(1, profile.travel_radius_km),
            limit=5,
        )
    else:
        group_ids = list(Membership.objects.filter(user=member).values_list("group_id", flat=True))
        items = board(group_ids=group_ids, limit=5)
    if not items:
        return _("There are no open asks near you right now.")
    lines = [
        f"#{i.ask.pk} {i.ask.get_category_display()}, {i.ask.area_name or '?'} "
        f"({i.ask.get_urgency_display()})"
        for i in items
    ]
    return _("Open asks near you: %(asks)s. Text YES and a number to take one.") % {
        "asks": "; ".join(lines)
    }


# Phone intake (the hotline).


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
) -> Ask:
    """Record an ask a caller made on the phone. The volunteer confirms the caller agreed,
    aloud, to their details being kept; the ask keeps who recorded that, and when."""
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


def purge_old_messages(*, now: datetime | None = None) -> int:
    """Delete texts received, texts dealt with by the hotline and messages no longer in
    the outbox, once past their keeping time; returns how many rows. Safe to run anytime."""
    now = now or timezone.now()
    deleted, _by_model = InboundSms.objects.filter(received_at__lt=now - KEEP_TEXTS).delete()
    drafts, _by_model = (
        IntakeDraft.objects.exclude(status=DraftStatus.OPEN)
        .filter(handled_at__lt=now - KEEP_TEXTS)
        .delete()
    )
    finished = (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.SKIPPED)
    sent, _by_model = Message.objects.filter(
        status__in=finished, created_at__lt=now - KEEP_MESSAGES
    ).delete()
    return deleted + drafts + sent


# The worker's periodic jobs.


def claim_due_jobs(
    *, jobs: Sequence[tuple[str, timedelta]], now: datetime | None = None
) -> list[str]:
    """The names of the jobs due now, each moved on to its next time. Of several workers
    asking at once, each due job goes to one."""
    now = now or timezone.now()
    due = []
    for name, every in jobs:
        ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
        if ScheduledJob.objects.filter(name=name, next_run_at__lte=now).update(
            next_run_at=now + every, last_started_at=now
        ):
            due.append(name)
    return due
