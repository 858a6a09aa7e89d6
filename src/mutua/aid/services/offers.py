"""Offers: what members can give, and asks that answer them ("I could use this").

An answer to an offer is an ask like any other (routed by its place, the usual privacy),
linked to the offer and offered first to the member who offered: for the time a helper
has to answer a dispatch suggestion it is off the board and out of dispatch, and only
they may take it. matching suggests it to them (it hears of the new ask through
aid.events) and they accept or decline it there. If they decline, or the time runs out
(the periodic job `release-offered-asks`), it goes to the board as a normal ask, and the
members near it are told as of a new one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid import events, policy
from mutua.aid.models import Ask, AskEvent, AskStatus, Offer, OfferKind, Urgency
from mutua.aid.services.asks import create_ask
from mutua.core.categories import Category
from mutua.core.errors import InvalidInput, InvalidTransition, NotAllowed
from mutua.core.text import clean_text
from mutua.groups.models import Group
from mutua.people.models import User


@transaction.atomic
def create_offer(
    *, member: User, kind: str, category: str, what: str, group: Group | None = None
) -> Offer:
    """Record something a member can give."""
    what = clean_text(what, field="what", label=_("what you can offer"), limit=500, required=True)
    if kind not in OfferKind.values:
        raise InvalidInput(_("Unknown kind of offer: %(k)s") % {"k": kind}, field="kind")
    if category not in Category.values:
        raise InvalidInput(_("Unknown kind of help: %(c)s") % {"c": category}, field="category")
    return Offer.objects.create(member=member, kind=kind, category=category, what=what, group=group)


def withdraw_offer(*, offer: Offer, member: User) -> Offer:
    """Stop showing an offer. Only the member who made it may."""
    if offer.member_id != member.pk:
        raise NotAllowed(_("Only the member who made this offer can withdraw it."))
    Offer.objects.filter(pk=offer.pk).update(active=False)
    offer.active = False
    return offer


@transaction.atomic
def answer_offer(
    *,
    offer: Offer,
    asker: User,
    what: str,
    lat: float,
    lon: float,
    consent: bool,
    urgency: int = Urgency.NORMAL,
    language: str = "en",
    address: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    consent_channel: str | None = None,
) -> Ask:
    """ "I could use this": an ask of the offer's kind of help, linked to it, recorded with
    create_ask's checks. It is offered first to the member who offered when they may
    take it under the rules of the group it reached (aid.policy.may_take); otherwise it
    is on the board at once, like any ask."""
    if not offer.active:
        raise InvalidTransition(_("This offer was withdrawn."))
    if offer.member_id == asker.pk:
        raise InvalidInput(_("This is your own offer."), field="offer")
    ask = create_ask(
        what=what,
        category=offer.category,
        lat=lat,
        lon=lon,
        consent=consent,
        urgency=urgency,
        language=language,
        address=address,
        contact_phone=contact_phone,
        contact_email=contact_email,
        asker=asker,
        consent_channel=consent_channel,
    )
    ask.offer = offer
    if offer.member.is_active and policy.may_take(ask=ask, user=offer.member).allowed:
        minutes = settings.MUTUA_PROPOSAL_TIMEOUT_MINUTES
        ask.offered_until = timezone.now() + timedelta(minutes=minutes)
    # In the transaction that created it, so that the news of it (after commit) already
    # sees the hold: nobody near is told, and matching suggests it to the member.
    Ask.objects.filter(pk=ask.pk).update(offer=offer, offered_until=ask.offered_until)
    return ask


@transaction.atomic
def release_offered_ask(*, ask: Ask) -> bool:
    """End the hold of an ask offered first to the member whose offer it answers (they
    said no, or did not answer in time): it goes to the board. False when there was no
    hold (released already, or never held); safe to call twice."""
    now = timezone.now()
    released = Ask.objects.filter(pk=ask.pk, offered_until__isnull=False).update(
        offered_until=None, updated_at=now
    )
    if not released:
        return False
    ask.offered_until = None
    ask.updated_at = now
    ask.refresh_from_db(fields=["status"])
    if ask.status == AskStatus.OPEN:
        events.announce(AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.TO_BOARD))
    return True


def release_offered_asks(*, now: datetime | None = None) -> int:
    """Put on the board every ask whose time offered first to a member has run out;
    returns how many. Safe to run any number of times."""
    now = now or timezone.now()
    due = Ask.objects.filter(offered_until__lte=now).only("pk", "status")
    return sum(release_offered_ask(ask=ask) for ask in due)
