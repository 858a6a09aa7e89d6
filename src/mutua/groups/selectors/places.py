"""Places typed as words, resolved the way a neighbour means them.

Sources, the network's own first:
1. "lat, lon" typed as numbers;
2. the names of the network's groups ("Hackney" for "Hackney Mutual Aid");
3. the place names groups added for their areas (estates, streets, landmarks, postcode
   districts such as "E8", so "E8 1DY" finds it);
4. the offline gazetteer (mutua.core.gazetteer: places of about 1,000 people or more, with
   alternate names, so "Londres" works);
5. an online geocoder, only when the operator set one and nothing above matched.

Every name found in the text is a candidate. Candidates are ranked: near the network
before far from it; more words matched before fewer ("Hackney Wick" over "Hackney"); the
network's own names before the gazetteer, the gazetteer before the geocoder; nearer the
network's groups (or the `near` point) first; bigger places first. A candidate farther
than MUTUA_PLACE_REACH_KM past the edge of every group's area is never chosen: it can only
be offered as a choice ("Camden" is Camden Town for a London network, not New Jersey).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from mutua.core import geo, geocoder
from mutua.core.gazetteer import fold, gazetteer, word_runs
from mutua.groups.models import Group, PlaceName
from mutua.groups.selectors import smallest_group_covering

# Kinds of candidate, as the places API names them. Place names a group added carry their
# own kind (mutua.groups.models.PlaceKind: district, estate, street, landmark, postcode).
POINT = "point"
GROUP = "group"
TOWN = "town"
GEOCODER = "geocoder"

# Where a candidate's name comes from; a smaller number wins between equally long names.
_OWN, _GAZETTEER, _ONLINE = 0, 1, 2

MAX_CHOICES = 3
# Two candidates closer than this are one place named twice (the group "Hackney Mutual
# Aid" is centred on the gazetteer's Hackney): only the better is kept.
_SAME_PLACE_KM = 1.0
# The runner-up makes a name ambiguous only if it is this far from the best and not a
# tenth of its size: "Londres" is London, not the City of London inside it.
_AMBIGUOUS_KM = 1.5
_AMBIGUOUS_SIZE_RATIO = 10
# A place name from the address refines the typed place only inside this distance of it:
# "Mare Street" sharpens "Hackney", it does not move the ask across the city.
_REFINE_KM = 5.0

# Words a group adds to its place's name; "Hackney Mutual Aid" is known as "Hackney".
_GROUP_WORDS = re.compile(
    r"(?:\s+(?:mutual\s+aid|mutual-aid|network|group|groups|community|support|volunteers))+\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """One place the text may mean."""

    name: str
    lat: float
    lon: float
    kind: str
    source: int
    words: int
    distance_km: float = math.inf
    far: bool = False
    population: int = 0

    def rank(self) -> tuple[bool, int, int, float, int]:
        return (self.far, -self.words, self.source, round(self.distance_km, 1), -self.population)

    @property
    def point(self) -> tuple[float, float]:
        return self.lat, self.lon

    @property
    def key(self) -> str:
        """The candidate as a choice on a form: its point, rounded to about a metre."""
        return f"{self.lat:.5f},{self.lon:.5f}"


@dataclass(frozen=True)
class Resolution:
    """What a text was understood as: its candidates, best first."""

    text: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def best(self) -> Candidate | None:
        """The best candidate, if it is near the network (a far one is never chosen)."""
        if self.candidates and not self.candidates[0].far:
            return self.candidates[0]
        return None

    @property
    def ambiguous(self) -> bool:
        """Whether another near candidate is as good a reading as the best."""
        best = self.best
        if best is None or len(self.candidates) < 2:
            return False
        runner = self.candidates[1]
        return (
            not runner.far
            and (runner.words, runner.source) == (best.words, best.source)
            and geo.haversine_km(best.lat, best.lon, runner.lat, runner.lon) > _AMBIGUOUS_KM
            and runner.population * _AMBIGUOUS_SIZE_RATIO >= best.population
        )

    @property
    def chosen(self) -> Candidate | None:
        """The candidate to use without asking: the best, when nothing rivals it."""
        return None if self.ambiguous else self.best

    @property
    def choices(self) -> tuple[Candidate, ...]:
        """Up to three candidates to offer a person when none is chosen."""
        return self.candidates[:MAX_CHOICES]

    def choice(self, key: str) -> Candidate | None:
        """The candidate a person picked by its key, if it is still one of the choices."""
        return next((c for c in self.candidates if c.key == key), None)


@dataclass(frozen=True)
class _Area:
    name: str
    lat: float
    lon: float
    radius_km: float


def short_name(name: str) -> str:
    """A group's name without the words groups add to their place: "Hackney Central
    Mutual Aid" -> "Hackney Central"."""
    return _GROUP_WORDS.sub("", name).strip() or name


def _areas() -> list[_Area]:
    rows = Group.objects.exclude(center_lat=None).values_list(
        "name", "center_lat", "center_lon", "area_km2"
    )
    return [
        _Area(name, lat, lon, math.sqrt(max(area, 0.0) / math.pi))
        for name, lat, lon, area in rows
        if lat is not None and lon is not None
    ]


def _from_group_names(runs: dict[str, int], areas: list[_Area]) -> list[Candidate]:
    found = []
    for area in areas:
        for name in {area.name, short_name(area.name)}:
            words = runs.get(fold(name))
            if words:
                found.append(
                    Candidate(short_name(area.name), area.lat, area.lon, GROUP, _OWN, words)
                )
    return found


def _from_place_names(runs: dict[str, int]) -> list[Candidate]:
    rows = PlaceName.objects.filter(folded__in=list(runs)).select_related("group")
    found = []
    for row in rows:
        where = short_name(row.group.name)
        label = row.name if fold(where) in fold(row.name) else f"{row.name}, {where}"
        found.append(Candidate(label, row.lat, row.lon, row.kind, _OWN, runs[row.folded]))
    return found


def _from_gazetteer(text: str) -> list[Candidate]:
    return [
        Candidate(p.label, p.lat, p.lon, TOWN, _GAZETTEER, words, population=p.population)
        for p, words in gazetteer().find(text)
    ]


def _from_geocoder(text: str) -> list[Candidate]:
    return [
        Candidate(hit.name, hit.lat, hit.lon, GEOCODER, _ONLINE, 1)
        for hit in geocoder.geocode(text)
    ]


def _placed(
    found: list[Candidate], areas: list[_Area], near: tuple[float, float] | None
) -> list[Candidate]:
    """Each candidate with its distance and whether it is beyond the network's reach."""
    reach = float(settings.MUTUA_PLACE_REACH_KM)
    placed = []
    for c in found:
        # From the edge of the nearest group's area (zero inside it).
        edge = min(
            (max(0.0, geo.haversine_km(c.lat, c.lon, a.lat, a.lon) - a.radius_km) for a in areas),
            default=math.inf,
        )
        far = bool(areas) and edge > reach
        distance = edge
        if near is not None:
            # The point given stands in for the network: "Camden" near Philadelphia is
            # the one in New Jersey.
            distance = geo.haversine_km(c.lat, c.lon, *near)
            far = distance > reach
        name = c.name
        if c.source == _GAZETTEER and not far:
            # Near the network the town's name says enough; far away, "Camden, New
            # Jersey, United States" tells it from the Camden the person may have meant.
            name = c.name.split(",")[0]
        placed.append(
            Candidate(name, c.lat, c.lon, c.kind, c.source, c.words, distance, far, c.population)
        )
    return placed


def _distinct(ranked: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    for c in ranked:
        if all(geo.haversine_km(c.lat, c.lon, k.lat, k.lon) > _SAME_PLACE_KM for k in kept):
            kept.append(c)
    return kept


def resolve(text: str, *, near: tuple[float, float] | None = None, limit: int = 10) -> Resolution:
    """Every place `text` may name, best first (see the module's docstring)."""
    text = text.strip()
    if not text:
        return Resolution(text)
    point = geo.parse_point(text)
    if point is not None:
        return Resolution(text, (Candidate(text, point[0], point[1], POINT, _OWN, 99, 0.0),))
    runs: dict[str, int] = {}
    for run, _start, size in word_runs(text):
        runs.setdefault(run, size)
    areas = _areas()
    found = _from_group_names(runs, areas) + _from_place_names(runs) + _from_gazetteer(text)
    ranked = sorted(_placed(found, areas, near), key=Candidate.rank)
    if geocoder.enabled() and (not ranked or ranked[0].far):
        ranked = sorted(ranked + _placed(_from_geocoder(text), areas, near), key=Candidate.rank)
    return Resolution(text, tuple(_distinct(ranked)[:limit]))


def understand(place: str, address: str = "") -> Resolution:
    """What a person meant by the place they typed, with their address line as a hint.

    The address is private text and most of its words are not places ("12 Mare Street":
    Street is a town in Somerset), so it counts only where one of its names is near the
    network: it then refines a place typed near it, or stands in when none was typed."""
    typed = resolve(place)
    if not address.strip():
        return typed
    hinted = [c for c in resolve(address).candidates if not c.far and c.kind != POINT]
    if not hinted:
        return typed
    hint = hinted[0]
    best = typed.best
    if not typed.candidates:
        return Resolution(place or address, (hint,))
    if (
        best is not None
        and hint.source == _OWN
        and hint.kind != GROUP
        and geo.haversine_km(best.lat, best.lon, hint.lat, hint.lon) <= _REFINE_KM
    ):
        return Resolution(place, (hint, *typed.candidates))
    return typed


def resolve_place(*texts: str) -> tuple[float, float] | None:
    """The point of the first of `texts` that names a place near the network (the best
    reading, even if another rivals it), or None."""
    for text in texts:
        best = resolve(text).best
        if best is not None:
            return best.point
    return None


def reached_group(candidate: Candidate) -> Group | None:
    """The group an ask placed at the candidate would go to, if any."""
    return smallest_group_covering(candidate.lat, candidate.lon)


def as_item(candidate: Candidate) -> dict[str, object]:
    """A candidate as the places API and the 422 of POST /asks list it."""
    group = reached_group(candidate)
    return {
        "name": candidate.name,
        "lat": candidate.lat,
        "lon": candidate.lon,
        "group": None if group is None else group.slug,
        "kind": candidate.kind,
    }


def describe(candidate: Candidate) -> str:
    """What the person will be told before sending: "Near Dalston, Hackney: Hackney
    Central Mutual Aid will see it"."""
    group = reached_group(candidate)
    if group is None:
        return _(
            "Near %(place)s: no group covers this place yet, so the network's organisers "
            "will see it and pass it on."
        ) % {"place": candidate.name}
    return _("Near %(place)s: %(group)s will see it.") % {
        "place": candidate.name,
        "group": group.name,
    }


@dataclass(frozen=True)
class Choice:
    """One place offered to the person before an ask is sent."""

    key: str
    sentence: str
    far: bool
    checked: bool


@dataclass(frozen=True)
class Confirmation:
    """What the ask and hotline forms show under the place: the choices, and the point
    once the person has picked one of them."""

    point: tuple[float, float] | None
    choices: tuple[Choice, ...]
    several: bool


def confirm(place: str, address: str = "", picked: str = "") -> Confirmation:
    """The place understood from a form, for the person to confirm: the best reading is
    ticked unless another rivals it or it is far from the network (then the person picks).
    `picked` is the key of the choice they sent back, if any."""
    found = understand(place, address)
    chosen = found.choice(picked) if picked else None
    if chosen is None and found.chosen is not None and found.chosen.kind == POINT:
        # Coordinates typed are as deliberate as a pin on the map: nothing to confirm.
        chosen = found.chosen
    # One reading that nothing rivals is shown alone; otherwise up to three. A far place
    # is offered only when it is all that was typed ("Manchester"), never for one word
    # of several ("Lane" in "Zzyzxq Lane").
    typed_words = len(fold(place or address).split())
    shown = [found.chosen] if found.chosen is not None else list(found.choices)
    shown = [c for c in shown if not c.far or c.words >= typed_words]
    if chosen is not None and chosen not in shown:
        shown = [chosen, *shown[: MAX_CHOICES - 1]]
    ticked = chosen or found.chosen
    choices = tuple(Choice(c.key, describe(c), c.far, c == ticked) for c in shown)
    return Confirmation(
        point=None if chosen is None else chosen.point,
        choices=choices,
        several=len(choices) > 1,
    )
