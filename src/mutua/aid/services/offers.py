"""Offers: what members can give."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.aid.models import Offer, OfferKind
from mutua.core.categories import Category
from mutua.core.errors import InvalidInput, NotAllowed
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
