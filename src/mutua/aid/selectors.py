"""Reads for asks, claims and offers, and the private key of an ask."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.crypto import salted_hmac

from mutua.aid.models import Ask, Claim, ClaimOutcome, Offer
from mutua.core import geo
from mutua.core.errors import NotFound
from mutua.groups.models import Membership
from mutua.people.models import User

_ASKER_KEY_SALT = "mutua.aid.asker-key"


def asker_key(ask: Ask) -> str:
    """A secret that lets the person who asked, even without an account, manage the ask."""
    return salted_hmac(_ASKER_KEY_SALT, f"{ask.pk}:{ask.consent_at.isoformat()}").hexdigest()[:32]


def active_helper_id(ask: Ask) -> int | None:
    helper_id: int | None = (
        Claim.objects.filter(ask=ask, outcome=ClaimOutcome.ACTIVE)
        .values_list("helper_id", flat=True)
        .first()
    )
    return helper_id


def get_ask(ask_id: int) -> Ask:
    try:
        return Ask.objects.select_related("group").get(pk=ask_id)
    except Ask.DoesNotExist:
        raise NotFound(str(ask_id)) from None


@dataclass(frozen=True)
class BoardItem:
    ask: Ask
    distance_km: float | None


def board(
    *,
    near: tuple[float, float] | None = None,
    radius_km: float = 10.0,
    category: str | None = None,
    group_ids: list[int] | None = None,
    languages: Collection[str] | None = None,
    limit: int = 200,
) -> list[BoardItem]:
    """Open asks, most urgent first, then nearest (distance to the public cell centre).

    `languages` keeps asks in those languages, a regional variant included ("pt" keeps
    "pt-br" too); None keeps every language, an empty list none.
    """
    qs = Ask.objects.open().select_related("group")
    if category:
        qs = qs.filter(category=category)
    if languages is not None:
        qs = qs.filter(_in_languages(languages))
    if group_ids is not None:
        qs = qs.filter(group_id__in=group_ids)
    if near is None:
        return [BoardItem(a, None) for a in qs.order_by("-urgency", "-created_at")[:limit]]
    lat, lon = near
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, radius_km)
    if min_lon < -180.0 or max_lon > 180.0:
        # The box crosses the 180th meridian (Fiji, Chukotka) or takes in a pole, where a
        # longitude range cannot be one interval: narrow by latitude, then by distance.
        candidates = qs.filter(public_lat__gte=min_lat, public_lat__lte=max_lat)
    else:
        candidates = qs.near(lat, lon, radius_km)
    items = []
    for ask in candidates:
        d = geo.haversine_km(lat, lon, ask.public_lat, ask.public_lon)
        if d <= radius_km:
            items.append(BoardItem(ask, round(d, 2)))
    items.sort(key=lambda i: (-i.ask.urgency, i.distance_km, -i.ask.pk))
    return items[:limit]


def board_near_member(member: User, *, limit: int = 200) -> list[BoardItem]:
    """The board as the member sees it without choosing a place: open asks within their
    travel radius of home, or, with no home place given, the open asks of their groups."""
    profile = getattr(member, "profile", None)
    if profile is not None and profile.home_lat is not None and profile.home_lon is not None:
        return board(
            near=(profile.home_lat, profile.home_lon),
            radius_km=max(1, profile.travel_radius_km),
            limit=limit,
        )
    group_ids = list(Membership.objects.filter(user=member).values_list("group_id", flat=True))
    return board(group_ids=group_ids, limit=limit)


def _in_languages(codes: Collection[str]) -> Q:
    match = Q(pk__in=[])
    for code in {c.strip().lower() for c in codes if c.strip()}:
        match |= Q(language__iexact=code) | Q(language__istartswith=f"{code}-")
    return match


def unrouted_asks() -> QuerySet[Ask]:
    return Ask.objects.open().unrouted().order_by("-urgency", "-created_at")


def asks_of(user: User) -> QuerySet[Ask]:
    return Ask.objects.filter(asker=user).select_related("group")


def claims_of(user: User) -> QuerySet[Claim]:
    return Claim.objects.filter(helper=user).select_related("ask", "ask__group")


def active_offers(*, category: str | None = None) -> QuerySet[Offer]:
    qs = Offer.objects.filter(active=True).select_related("member__profile", "group")
    return qs.filter(category=category) if category else qs


def offers_matching(
    *, category: str | None = None, kind: str | None = None, group_slug: str | None = None
) -> QuerySet[Offer]:
    """Active offers, optionally of one category, kind or group (by its short name)."""
    qs = active_offers(category=category)
    if kind:
        qs = qs.filter(kind=kind)
    if group_slug:
        qs = qs.filter(group__slug=group_slug)
    return qs


def offers_of(user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(member=user).select_related("group")


def get_offer(offer_id: int) -> Offer:
    try:
        return Offer.objects.get(pk=offer_id)
    except Offer.DoesNotExist:
        raise NotFound(str(offer_id)) from None


def active_claim(ask: Ask) -> Claim | None:
    """The claim in progress on the ask, with the helper's profile for their name."""
    return ask.claims.filter(outcome=ClaimOutcome.ACTIVE).select_related("helper__profile").first()
