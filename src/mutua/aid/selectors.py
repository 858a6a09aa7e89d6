"""Reads for asks, claims and offers, and the private key of an ask."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet
from django.utils.crypto import salted_hmac

from mutua.aid.models import Ask, AskEvent, AskQuerySet, Claim, ClaimOutcome, Offer, Urgency
from mutua.core import geo
from mutua.core.errors import NotFound
from mutua.groups.models import Group, Membership
from mutua.groups.selectors import ancestors_of, edge_km, nearest_groups
from mutua.groups.selectors.nearby import nearest_place_names
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


# The board page shows this many asks, with a "more" link to the next as many, up to
# the last page; past it, a narrower place or kind of help shows the rest. The map view
# shows more at once, as small circles.
BOARD_PAGE_SIZE = 25
BOARD_MAX_PAGES = 40
BOARD_MAP_ASKS = 200

# What a board card, the API's board and a text message show of an ask: no encrypted
# column is read, so listing asks never decrypts anyone's contact or exact place.
BOARD_FIELDS = (
    "id",
    "status",
    "what",
    "category",
    "urgency",
    "language",
    "cell",
    "public_lat",
    "public_lon",
    "area_name",
    "created_at",
    "expires_at",
    "group__slug",
    "group__name",
)
# The first ring searched around the place, and the most rings per urgency: the search
# widens until a page is full (or the radius is reached), so a dense city answers from
# a few hundred metres around and a village from the whole radius.
_FIRST_RING_KM = 1.0
_MAX_WIDENINGS = 3
# Up to this many asks in the whole box, ranking them all in Python from their ids and
# places is quicker than searching ring by ring.
_FEW_ASKS = 1000


def board(
    *,
    near: tuple[float, float] | None = None,
    radius_km: float = 10.0,
    category: str | None = None,
    group_ids: list[int] | None = None,
    languages: Collection[str] | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[BoardItem]:
    """Open asks, most urgent first, then nearest (distance to the public cell centre),
    `limit` of them after the first `offset`.

    Sorting and limiting happen in the database, one urgency at a time, on the index of
    open asks by urgency and public place: the search starts in a small box around the
    place and widens only until the page is full, so a request reads about a page of
    rows however many asks are stored. Without a place: most urgent, then newest.

    `languages` keeps asks in those languages, a regional variant included ("pt" keeps
    "pt-br" too); None keeps every language, an empty list none.
    """
    qs = Ask.objects.listed().select_related("group").only(*BOARD_FIELDS)
    if category:
        qs = qs.filter(category=category)
    if languages is not None:
        qs = qs.filter(_in_languages(languages))
    if group_ids is not None:
        qs = qs.filter(group_id__in=group_ids)
    if near is None:
        page = qs.order_by("-urgency", "-created_at", "-pk")[offset : offset + limit]
        return [BoardItem(a, None) for a in page]
    lat, lon = near
    _min_lat, _max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, radius_km)
    if min_lon < -180.0 or max_lon > 180.0:
        return _board_across_the_edge(qs, lat, lon, radius_km)[offset : offset + limit]
    need = offset + limit
    few = _few_near(qs, lat, lon, radius_km, offset=offset, need=need)
    if few is not None:
        return few
    items: list[BoardItem] = []
    for urgency in sorted(Urgency.values, reverse=True):
        items += _nearest(qs.filter(urgency=urgency), lat, lon, radius_km, need - len(items))
        if len(items) >= need:
            break
    return items[offset:need]


def _few_near(
    qs: AskQuerySet, lat: float, lon: float, radius_km: float, *, offset: int, need: int
) -> list[BoardItem] | None:
    """The asks near the point from `offset` to `need`, in board order, when the box
    around it holds few (a town, a filtered board): one read of ids and places, and one
    of the asks shown. None
    when the box holds more than _FEW_ASKS, for `_nearest` to search ring by ring."""
    # Naming every urgency lets the database read the index of places once per urgency,
    # from the box's edge, without ordering: it stops at _FEW_ASKS + 1.
    box = qs.near(lat, lon, radius_km).filter(urgency__in=Urgency.values).order_by()
    places = box.values_list("pk", "urgency", "public_lat", "public_lon")
    found = list(places[: _FEW_ASKS + 1])
    if len(found) > _FEW_ASKS:
        return None
    ranked = []
    for pk, urgency, public_lat, public_lon in found:
        distance = round(geo.haversine_km(lat, lon, public_lat, public_lon), 2)
        if distance <= radius_km:
            ranked.append((-urgency, distance, -pk))
    ranked = sorted(ranked)[offset:need]
    asks = qs.in_bulk([-pk for _u, _d, pk in ranked])
    return [BoardItem(asks[-pk], distance) for _u, distance, pk in ranked]


def _nearest(
    qs: AskQuerySet, lat: float, lon: float, radius_km: float, need: int
) -> list[BoardItem]:
    """The `need` asks of `qs` nearest the point within `radius_km`, nearest first.

    The database orders each box by a flat-earth distance (exact enough within a few
    hundred km, and cheap), returning at most `need` rows; the rows inside the circle are
    then every ask closer than its radius, so once there are `need` of them the answer
    is complete, and otherwise the box widens, faster where it found few.
    """
    scale = math.cos(math.radians(lat)) ** 2
    flat = ExpressionWrapper(
        (F("public_lat") - lat) * (F("public_lat") - lat)
        + (F("public_lon") - lon) * (F("public_lon") - lon) * scale,
        output_field=FloatField(),
    )
    ring = min(_FIRST_RING_KM, radius_km)
    for _widening in range(_MAX_WIDENINGS):
        rows = qs.near(lat, lon, ring).alias(flat=flat).order_by("flat", "-pk")[:need]
        items = _within(rows, lat, lon, ring)
        if len(items) >= need or ring >= radius_km:
            return items[:need]
        ring = min(radius_km, ring * max(2.0, 1.2 * math.sqrt(need / max(1, len(items)))))
    rows = qs.near(lat, lon, radius_km).alias(flat=flat).order_by("flat", "-pk")[:need]
    return _within(rows, lat, lon, radius_km)[:need]


def _within(asks: Iterable[Ask], lat: float, lon: float, radius_km: float) -> list[BoardItem]:
    items = []
    for ask in asks:
        distance = geo.haversine_km(lat, lon, ask.public_lat, ask.public_lon)
        if distance <= radius_km:
            items.append(BoardItem(ask, round(distance, 2)))
    items.sort(key=lambda i: (i.distance_km, -i.ask.pk))
    return items


def _board_across_the_edge(
    qs: AskQuerySet, lat: float, lon: float, radius_km: float
) -> list[BoardItem]:
    """Where the box crosses the 180th meridian (Fiji, Chukotka) or takes in a pole, a
    longitude range cannot be one interval: narrow by latitude, then by distance, in
    Python (few asks are ever there)."""
    min_lat, max_lat, _min_lon, _max_lon = geo.bounding_box(lat, lon, radius_km)
    candidates = qs.filter(public_lat__gte=min_lat, public_lat__lte=max_lat)
    items = _within(candidates, lat, lon, radius_km)
    items.sort(key=lambda i: (-i.ask.urgency, i.distance_km, -i.ask.pk))
    return items


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
    return Ask.objects.listed().unrouted().order_by("-urgency", "-created_at")


# Hand-on: where an ask may be passed, and where it has been.

# How many of the nearest groups are offered, besides the groups the holder is part of.
HAND_ON_NEAREST = 5
UNROUTED_PAGE_SIZE = 50
# The last page anyone may ask for: a page number past it would overflow the database's
# OFFSET (SQLite and PostgreSQL both refuse one past 2**63), and 10,000 pages is 500,000 asks.
UNROUTED_LAST_PAGE = 10_000


@dataclass(frozen=True)
class Target:
    """A group an ask may be passed to, and how far the ask's public place is from the
    edge of its area (None when the group has no area, as a network may not)."""

    group: Group
    km: float | None
    parent: bool


def hand_on_targets(ask: Ask, *, among: list[Group] | None = None) -> list[Target]:
    """The groups the ask may be passed to: the established groups the holding group is
    part of (its parent first), then the established groups nearest the ask's public
    place; never the group holding it. Only established groups, as for routing: a group
    receives asks once its members hold trust and the groups it overlaps agreed."""
    lat, lon = ask.public_lat, ask.public_lon
    targets: list[Target] = []
    seen = {ask.group_id}
    if ask.group is not None:
        for parent in ancestors_of(ask.group):
            if parent.is_established and parent.pk not in seen:
                km = edge_km(parent, lat, lon)
                targets.append(Target(parent, None if math.isinf(km) else km, parent=True))
                seen.add(parent.pk)
    nearest = nearest_groups(lat, lon, limit=HAND_ON_NEAREST + len(seen), among=among)
    others = [Target(g, km, parent=False) for g, km in nearest if g.pk not in seen]
    return targets + others[:HAND_ON_NEAREST]


def hand_on_path(ask: Ask) -> list[AskEvent]:
    """The ask's passes between groups, oldest first (from_group -> to_group)."""
    return list(
        ask.events.filter(kind=AskEvent.Kind.PASSED).select_related("from_group", "to_group")
    )


def groups_passed_through(ask: Ask) -> set[int]:
    """Every group the ask has been with, the one holding it now included."""
    rows = ask.events.filter(kind=AskEvent.Kind.PASSED).values_list("from_group", "to_group")
    held = {group_id for pair in rows for group_id in pair if group_id is not None}
    return held | ({ask.group_id} if ask.group_id is not None else set())


@dataclass(frozen=True)
class UnroutedItem:
    """An ask no group covers, as the unrouted list shows it: its coarse place in words
    and the groups nearest it."""

    ask: Ask
    place_name: str | None
    nearest: list[Target]


def unrouted_items(*, page: int = 1) -> tuple[list[UnroutedItem], bool]:
    """One page of the unrouted list, most urgent and newest first, and whether there is a
    next page. Public columns only: nothing is decrypted to list them."""
    start = (max(page, 1) - 1) * UNROUTED_PAGE_SIZE
    asks = list(
        unrouted_asks()
        .select_related("group")
        .only(*BOARD_FIELDS)[start : start + UNROUTED_PAGE_SIZE + 1]
    )
    shown = asks[:UNROUTED_PAGE_SIZE]
    groups = list(Group.objects.filter(established_at__isnull=False).exclude(center_lat=None))
    names = nearest_place_names([(ask.public_lat, ask.public_lon) for ask in shown])
    items = [
        UnroutedItem(ask=ask, place_name=name, nearest=hand_on_targets(ask, among=groups))
        for ask, name in zip(shown, names, strict=True)
    ]
    return items, len(asks) > UNROUTED_PAGE_SIZE


def unrouted_count() -> int:
    return unrouted_asks().count()


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


def offered_to(ask: Ask) -> int | None:
    """The member an ask answering an offer is offered to first (the one who offered)."""
    if ask.offer_id is None:
        return None
    member_id: int | None = (
        Offer.objects.filter(pk=ask.offer_id).values_list("member_id", flat=True).first()
    )
    return member_id


def active_claim(ask: Ask) -> Claim | None:
    """The claim in progress on the ask, with the helper's profile for their name."""
    return ask.claims.filter(outcome=ClaimOutcome.ACTIVE).select_related("helper__profile").first()
