"""Fan-out: which people an ask's change, a dispatch suggestion, the day's new asks or a
group's decision concern, each told once (every message has an idempotency key, so
announcing one event twice sends nothing twice)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskEvent, AskStatus, Claim, ClaimOutcome
from mutua.aid.selectors import asker_key
from mutua.governance.models import LogEntry, LogKind, Role
from mutua.governance.policy import active_holders
from mutua.groups.models import Membership
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.notify import messages
from mutua.notify.models import Channel, Message, NearbyAsks, Preference
from mutua.notify.services.recipients import asker_recipient, fits, member_recipient, tell
from mutua.people.models import User

DIGEST_MAX_ASKS = 20
SUGGESTION_BATCH = 500


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
    if event.kind in (AskEvent.Kind.CREATED, AskEvent.Kind.TO_BOARD):
        # An ask answering an offer reaches the board (and the members near it) only when
        # the member who offered said no or did not answer in time.
        return _tell_nearby(ask, key)
    if event.kind == AskEvent.Kind.CANCELLED:
        return _tell_helper_of_cancel(ask, key)
    if event.kind == AskEvent.Kind.RELEASED and event.actor is not None:
        if event.actor.is_active:
            return 0
        # The helper erased their account: the asker hears their ask is open again.
        context = {"ask": ask, "link": messages.link(_asker_path(ask))}
        return tell(
            key=f"{key}:asker", event="helper_gone", context=context, to=asker_recipient(ask)
        )
    if event.kind not in (AskEvent.Kind.CLAIMED, AskEvent.Kind.DONE):
        return 0
    if event.actor_id is not None and event.actor_id == ask.asker_id:
        return 0  # the asker did it: nothing to tell them
    context = {
        "ask": ask,
        "helper_name": event.actor.display_name if event.actor else _("A neighbour"),
        "link": messages.link(_asker_path(ask)),
    }
    name = "ask_claimed" if event.kind == AskEvent.Kind.CLAIMED else "ask_done"
    if event.kind == AskEvent.Kind.CLAIMED and ask.approve_helper:
        # The asker chose to say yes first: ask them, by the link or YES/NO by text.
        name = "helper_offered"
    return tell(key=f"{key}:asker", event=name, context=context, to=asker_recipient(ask))


def _asker_path(ask: Ask) -> str:
    return f"/asks/{ask.pk}/" if ask.asker_id else f"/asks/{ask.pk}/?key={asker_key(ask)}"


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
    if ask.group_id is None or ask.status != AskStatus.OPEN or ask.offered_until is not None:
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


def notify_new_suggestions(*, now: datetime | None = None) -> int:
    """Tell helpers of the dispatch suggestions waiting for their answer that they have not
    been told of; returns how many messages were queued. Safe to run any number of times."""
    now = now or timezone.now()
    waiting = (
        Suggestion.objects.filter(
            status=SuggestionStatus.PENDING, expires_at__gt=now, ask__status=AskStatus.OPEN
        )
        .select_related("ask__group", "helper__profile")
        .order_by("pk")
    )
    queued = 0
    after = 0
    # In batches, all of them: in a surge thousands wait at once, and the newest must not
    # wait behind the oldest.
    while batch := list(waiting.filter(pk__gt=after)[:SUGGESTION_BATCH]):
        after = batch[-1].pk
        # The keys and the event keep the first name, "proposal": messages already sent
        # are found by them.
        keys = [f"proposal:{p.pk}:{c}" for p in batch for c in Channel.values]
        told = {
            k.rsplit(":", 1)[0]
            for k in Message.objects.filter(key__in=keys).values_list("key", flat=True)
        }
        for suggestion in batch:
            key = f"proposal:{suggestion.pk}"
            if key in told:
                continue
            context = {
                "ask": suggestion.ask,
                "suggestion": suggestion,
                "timeout": settings.MUTUA_PROPOSAL_TIMEOUT_MINUTES,
                "link": messages.link("/me/proposals/"),
            }
            queued += tell(
                key=key,
                event="proposal",
                context=context,
                to=member_recipient(suggestion.helper, now=now),
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
                Ask.objects.listed()
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


# A group's decisions (the governance log's notification hook).

# What every member hears about: a proposal to take a position on, and how it ended.
_GROUP_WIDE = {
    LogKind.PROPOSAL_OPENED,
    LogKind.DEADLINE_NEAR,
    LogKind.SECOND_ROUND,
    LogKind.PROPOSAL_PASSED,
    LogKind.PROPOSAL_NOT_PASSED,
}
# What only the person it is about hears: their role, or a proposal to remove them.
_TO_SUBJECT = {
    LogKind.REMOVAL_PROPOSED,
    LogKind.ROLE_GRANTED,
    LogKind.ROLE_REVOKED,
    LogKind.ROLE_EXPIRED,
    LogKind.MEMBER_REMOVED,
}


# What the group's dispatchers must follow up: a call that did not reach someone, an ask
# another group passed on to this one.
_TO_DISPATCHERS = {LogKind.CHECKIN_MISSED, LogKind.ASK_PASSED_IN}


def notify_group_event(*, entry: LogEntry) -> int:
    """Queue messages about one committed log entry; returns how many were queued."""
    people: list[User]
    if entry.kind in _TO_DISPATCHERS:
        # The group's dispatchers follow it up, or, with nobody holding the role, every
        # member.
        holders = active_holders(entry.group, Role.DISPATCHER).values("holder")
        found = User.objects.filter(pk__in=holders, is_active=True)
        if not found.exists():
            found = User.objects.filter(memberships__group_id=entry.group_id, is_active=True)
        people = list(found.select_related("profile").order_by("pk"))
    elif entry.kind in _GROUP_WIDE:
        members = User.objects.filter(memberships__group_id=entry.group_id, is_active=True)
        if entry.actor_id is not None:
            members = members.exclude(pk=entry.actor_id)  # they know what they did
        people = list(members.select_related("profile").order_by("pk"))
    elif entry.kind in _TO_SUBJECT and entry.subject is not None:
        people = [entry.subject]
    else:
        return 0
    slug = entry.group.slug
    path = (
        reverse("governance:proposal_detail", args=[slug, entry.proposal.pk])
        if entry.proposal is not None
        else reverse("governance:history", args=[slug])
    )
    context = {"entry": entry, "group": entry.group, "link": messages.link(path)}
    return sum(
        tell(
            key=f"group-log:{entry.pk}:{person.pk}",
            event="group_event",
            context=context,
            to=member_recipient(person),
        )
        for person in people
    )
