"""Reads for notifications, texts and the hotline."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from mutua.aid.models import Ask
from mutua.core.errors import NotFound
from mutua.core.phones import lookup_hash, same_number
from mutua.governance.models import Role
from mutua.governance.policy import may_act_as, nobody_holds
from mutua.groups.models import Group
from mutua.groups.selectors import groups_of
from mutua.notify.models import DraftStatus, IntakeDraft, Message, Preference, SmsSender
from mutua.people.models import User

# How far back the hotline looks for earlier asks from the same number.
DUPLICATE_DAYS = 30
# At most this many of those asks are read to compare numbers.
DUPLICATE_SCAN = 5000


def preference_of(user: User) -> Preference | None:
    return Preference.objects.filter(user=user).first()


def member_by_phone(phone: str) -> User | None:
    """The member who linked this number, if any."""
    if not phone:
        return None
    pref = (
        Preference.objects.filter(phone_hash=lookup_hash(phone))
        .select_related("user__profile")
        .first()
    )
    return pref.user if pref is not None and pref.user.is_active else None


def sender(phone: str) -> SmsSender | None:
    return SmsSender.objects.filter(phone_hash=lookup_hash(phone)).first()


def is_opted_out(phone: str) -> bool:
    return SmsSender.objects.filter(
        phone_hash=lookup_hash(phone), opted_out_at__isnull=False
    ).exists()


def language_of(user: User) -> str:
    """The language to write to a member in: their choice, their profile's first, the site's."""
    pref = preference_of(user)
    if pref is not None and pref.language:
        return pref.language
    profile = getattr(user, "profile", None)
    if profile is not None and profile.languages:
        return str(profile.languages[0])
    return str(settings.LANGUAGE_CODE)


def has_linked_phone(user: User) -> bool:
    return Preference.objects.filter(user=user, phone_linked_at__isnull=False).exists()


def may_use_hotline(user: User | None) -> bool:
    """Whoever holds the hotline role in one of their groups takes calls. While a group
    gives that role to nobody, nobody acts as it: the page lists waiting texts with the
    senders' numbers."""
    if user is None or not user.is_authenticated:
        return False
    return any(may_act_as(user, group, Role.HOTLINE) for group in groups_of(user))


def groups_without_hotline(user: User | None) -> list[Group]:
    """The person's groups where nobody holds the hotline role, for the page to say so."""
    if user is None or not user.is_authenticated:
        return []
    return [g for g in groups_of(user) if nobody_holds(g, Role.HOTLINE)]


def open_drafts() -> QuerySet[IntakeDraft]:
    return IntakeDraft.objects.filter(status=DraftStatus.OPEN)


def get_open_draft(draft_id: int) -> IntakeDraft:
    try:
        return open_drafts().get(pk=draft_id)
    except IntakeDraft.DoesNotExist:
        raise NotFound(str(draft_id)) from None


def recent_asks_with_phone(phone: str, *, limit: int = 10) -> list[Ask]:
    """Asks of the last DUPLICATE_DAYS days whose contact number is this one, however it
    was written, newest first: the hotline checks them before recording a second."""
    if not phone.strip():
        return []
    since = timezone.now() - timedelta(days=DUPLICATE_DAYS)
    recent = Ask.objects.filter(created_at__gte=since).select_related("group")
    # Numbers are stored encrypted; asks keep a keyed hash of theirs to be found by it
    # (aid.duplicates). Asks made before that hash existed are read and compared here.
    found = list(recent.filter(phone_lookup=lookup_hash(phone)).order_by("-created_at")[:limit])
    older = (
        recent.filter(phone_lookup="")
        .exclude(contact_phone="")
        .order_by("-created_at")[:DUPLICATE_SCAN]
    )
    found += [a for a in older if same_number(a.contact_phone, phone)]
    found.sort(key=lambda a: a.created_at, reverse=True)
    return found[:limit]


def messages_of(user: User, *, limit: int = 20) -> QuerySet[Message]:
    return Message.objects.filter(user=user).order_by("-pk")[:limit]
