"""The figures of the impact page: what a group and the groups inside it did over the last
weeks, counted from asks, claims, offers and memberships. Aggregates only: no figure names
a person, and every count of fewer than five asks is suppressed (core.anonymity).

Each figure comes from one builder taking the Scope; the page and the CSV show whatever
the builders return, in order. A new measure (the stock given out at hubs, once
mutua.resources exists) is one more builder in BUILDERS; outreach sits above every app it
reads, so a builder imports what it counts directly.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import h3
from django.conf import settings
from django.db.models import Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskEvent, AskStatus, Claim, ConsentChannel, Offer, Urgency
from mutua.core.anonymity import K, published, suppress
from mutua.core.categories import Category
from mutua.groups.models import Group, Membership

HEAT_RESOLUTION = 7  # H3 cells of about 5 km²: a neighbourhood, never a street
WEEK_CHOICES = (12, 26, 52)
DEFAULT_WEEKS = 26

Value = int | float | None  # None: suppressed


@dataclass(frozen=True)
class Row:
    key: str  # for the CSV: a week's Monday, a category's slug, an H3 cell
    label: str  # for people
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Figure:
    slug: str  # the measure's name in the CSV
    title: str
    label_heading: str
    columns: tuple[tuple[str, str], ...]  # (name in the CSV, heading for people)
    rows: list[Row]
    chart: str  # "bars", "lines", "hbars", "map", or "" for a table alone
    members_only: bool = False


@dataclass(frozen=True)
class AskFacts:
    """One ask as the figures need it: nothing about the person."""

    created_at: datetime
    category: str
    cell: str
    status: str
    group_id: int | None
    urgency: int
    language: str
    channel: str
    hours_to_claim: float | None
    hours_to_done: float | None


@dataclass
class Scope:
    group: Group
    groups: list[Group]
    weeks: int
    fuller: bool  # a member of the group: the figures for members too
    start: datetime = field(init=False)
    mondays: list[date] = field(init=False)
    _asks: list[AskFacts] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        today = timezone.localdate()
        first = today - timedelta(days=today.weekday()) - timedelta(weeks=self.weeks - 1)
        self.mondays = [first + timedelta(weeks=i) for i in range(self.weeks)]
        self.start = timezone.make_aware(datetime.combine(first, time.min))

    @property
    def group_ids(self) -> list[int]:
        return [g.pk for g in self.groups]

    @property
    def is_network(self) -> bool:
        return len(self.groups) > 1

    def asks(self) -> list[AskFacts]:
        """The asks made in the period in these groups, read once (three queries)."""
        if self._asks is None:
            self._asks = _ask_facts(self)
        return self._asks

    def week_of(self, moment: datetime) -> date:
        day = timezone.localtime(moment).date()
        return day - timedelta(days=day.weekday())


def _ask_facts(scope: Scope) -> list[AskFacts]:
    asks = Ask.objects.filter(group_id__in=scope.group_ids, created_at__gte=scope.start)
    rows = asks.values_list(
        "pk",
        "created_at",
        "category",
        "cell",
        "status",
        "group_id",
        "urgency",
        "language",
        "consent_channel",
    )
    ids = asks.values("pk")
    first_claim = dict(
        Claim.objects.filter(ask_id__in=ids)
        .values("ask_id")
        .annotate(first=Min("claimed_at"))
        .values_list("ask_id", "first")
    )
    done_at = dict(
        AskEvent.objects.filter(ask_id__in=ids, kind=AskEvent.Kind.DONE)
        .values("ask_id")
        .annotate(first=Min("at"))
        .values_list("ask_id", "first")
    )

    def hours(start: datetime, end: datetime | None) -> float | None:
        return None if end is None else max(0.0, (end - start).total_seconds() / 3600)

    return [
        AskFacts(
            created_at=created,
            category=category,
            cell=cell,
            status=status,
            group_id=group_id,
            urgency=urgency,
            language=language,
            channel=channel,
            hours_to_claim=hours(created, first_claim.get(pk)),
            hours_to_done=hours(created, done_at.get(pk)),
        )
        for pk, created, category, cell, status, group_id, urgency, language, channel in rows
    ]


def median_hours(values: Iterable[float | None]) -> float | None:
    """The median of at least K values, in hours to one decimal; else suppressed."""
    known = [v for v in values if v is not None]
    if len(known) < K:
        return None
    return round(statistics.median(known), 1)


def _week_label(monday: date) -> str:
    return formats.date_format(monday, "SHORT_DATE_FORMAT")


# --- the builders ------------------------------------------------------------------


def asks_met_per_week(scope: Scope) -> list[Figure]:
    """Asks marked done in each week (whenever they were made)."""
    done = (
        AskEvent.objects.filter(
            ask__group_id__in=scope.group_ids, kind=AskEvent.Kind.DONE, at__gte=scope.start
        )
        .values("ask_id")
        .annotate(first=Min("at"))
        .values_list("first", flat=True)
    )
    per_week = Counter(scope.week_of(at) for at in done)
    counts = suppress([per_week.get(monday, 0) for monday in scope.mondays])
    rows = [
        Row(monday.isoformat(), _week_label(monday), (count,))
        for monday, count in zip(scope.mondays, counts, strict=True)
    ]
    return [
        Figure(
            "asks_met_per_week",
            _("Asks met, week by week"),
            _("Week starting"),
            (("asks_met", _("Asks met")),),
            rows,
            "bars",
        )
    ]


def by_category(scope: Scope) -> list[Figure]:
    asks = scope.asks()
    made = Counter(a.category for a in asks)
    met = Counter(a.category for a in asks if a.status == AskStatus.DONE)
    slugs = [c for c in Category.values if made.get(c)]
    made_shown = suppress([made[c] for c in slugs])
    met_shown = suppress([met[c] for c in slugs])
    names = dict(Category.choices)
    rows = []
    for slug, n_made, n_met in zip(slugs, made_shown, met_shown, strict=True):
        claim = median_hours(a.hours_to_claim for a in asks if a.category == slug)
        rows.append(Row(slug, str(names[slug]), (n_made, n_met, claim)))
    return [
        Figure(
            "by_category",
            _("By kind of help"),
            _("Kind of help"),
            (
                ("asks", _("Asks")),
                ("met", _("Met")),
                ("median_hours_to_claim", _("Median hours to a helper")),
            ),
            rows,
            "hbars",
        )
    ]


def by_area(scope: Scope) -> list[Figure]:
    per_cell = Counter(h3.cell_to_parent(a.cell, HEAT_RESOLUTION) for a in scope.asks() if a.cell)
    cells = sorted(per_cell, key=lambda c: (-per_cell[c], c))
    shown = suppress([per_cell[c] for c in cells])
    rows = []
    for cell, count in zip(cells, shown, strict=True):
        lat, lon = h3.cell_to_latlng(cell)
        rows.append(Row(cell, f"{lat:.2f}, {lon:.2f}", (count,)))
    return [
        Figure(
            "by_area",
            _("Where asks came from"),
            _("Area (centre)"),
            (("asks", _("Asks")),),
            rows,
            "map",
        )
    ]


def members_and_offers(scope: Scope) -> list[Figure]:
    """Members (each person once, however many of these groups they are in) and offers
    made, as totals at the end of each week."""
    joined: dict[int, datetime] = {}
    memberships = Membership.objects.filter(group_id__in=scope.group_ids)
    for user_id, at in memberships.values_list("user_id", "joined_at"):
        if user_id not in joined or at < joined[user_id]:
            joined[user_id] = at
    offers = list(
        Offer.objects.filter(group_id__in=scope.group_ids).values_list("created_at", flat=True)
    )
    rows = []
    for monday in scope.mondays:
        end = timezone.make_aware(datetime.combine(monday + timedelta(days=7), time.min))
        members = sum(1 for at in joined.values() if at < end)
        made = sum(1 for at in offers if at < end)
        rows.append(Row(monday.isoformat(), _week_label(monday), (members, made)))
    return [
        Figure(
            "members_and_offers",
            _("Members and offers over time"),
            _("Week starting"),
            (("members", _("Members")), ("offers_made", _("Offers made so far"))),
            rows,
            "lines",
        )
    ]


def by_group(scope: Scope) -> list[Figure]:
    """A network's figures group by group."""
    if not scope.is_network:
        return []
    asks = scope.asks()
    made = Counter(a.group_id for a in asks)
    met = Counter(a.group_id for a in asks if a.status == AskStatus.DONE)
    groups = scope.groups
    made_shown = suppress([made[g.pk] for g in groups])
    met_shown = suppress([met[g.pk] for g in groups])
    rows = [
        Row(g.slug, g.name, (a, b)) for g, a, b in zip(groups, made_shown, met_shown, strict=True)
    ]
    columns = (("asks", _("Asks")), ("met", _("Met")))
    return [Figure("by_group", _("Group by group"), _("Group"), columns, rows, "")]


def _breakdown(
    scope: Scope,
    slug: str,
    title: str,
    heading: str,
    key: Callable[[AskFacts], str],
    names: dict[str, str],
) -> Figure:
    counts = Counter(key(a) for a in scope.asks())
    keys = sorted(counts, key=lambda k: (-counts[k], k))
    shown = suppress([counts[k] for k in keys])
    rows = [Row(k, names.get(k, k), (n,)) for k, n in zip(keys, shown, strict=True)]
    return Figure(slug, title, heading, (("asks", _("Asks")),), rows, "", members_only=True)


def for_members(scope: Scope) -> list[Figure]:
    """How asks came in, in which languages, how urgent, and where they stand now: for
    the group's own planning (more hotline hours? a leaflet in another language?)."""
    if not scope.fuller:
        return []
    languages = {code: str(name) for code, name in settings.MUTUA_SPOKEN_LANGUAGES}
    return [
        _breakdown(
            scope,
            "by_channel",
            _("How asks came in"),
            _("Way in"),
            lambda a: a.channel,
            {k: str(v) for k, v in ConsentChannel.choices},
        ),
        _breakdown(
            scope,
            "by_language",
            _("Languages asked in"),
            _("Language"),
            lambda a: a.language,
            languages,
        ),
        _breakdown(
            scope,
            "by_urgency",
            _("How soon help was needed"),
            _("How soon"),
            lambda a: str(a.urgency),
            {str(k): str(v) for k, v in Urgency.choices},
        ),
        _breakdown(
            scope,
            "by_status",
            _("Where the period's asks stand now"),
            _("State"),
            lambda a: a.status,
            {k: str(v) for k, v in AskStatus.choices},
        ),
    ]


Builder = Callable[[Scope], list[Figure]]
BUILDERS: tuple[Builder, ...] = (
    asks_met_per_week,
    by_category,
    by_area,
    members_and_offers,
    by_group,
    for_members,
)


@dataclass(frozen=True)
class Impact:
    scope: Scope
    totals: list[tuple[str, str, Value]]  # (key, label, value)
    figures: list[Figure]


def impact(group: Group, groups: list[Group], *, weeks: int, fuller: bool) -> Impact:
    """The figures of `group` and the groups inside it (`groups`, the group first) over
    the last `weeks` weeks, this one included."""
    scope = Scope(group=group, groups=groups, weeks=weeks, fuller=fuller)
    asks = scope.asks()
    totals: list[tuple[str, str, Value]] = [
        ("asks", _("Asks made"), published(len(asks))),
        ("met", _("Asks met"), published(sum(1 for a in asks if a.status == AskStatus.DONE))),
        (
            "median_hours_to_claim",
            _("Median hours from ask to a helper"),
            median_hours(a.hours_to_claim for a in asks),
        ),
        (
            "median_hours_to_done",
            _("Median hours from ask to done"),
            median_hours(a.hours_to_done for a in asks),
        ),
    ]
    figures = [figure for build in BUILDERS for figure in build(scope)]
    return Impact(scope=scope, totals=totals, figures=figures)
