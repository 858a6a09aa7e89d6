"""The demo's data: sizes, boroughs, names, languages, and the texts of asks and offers."""

from __future__ import annotations

from dataclasses import dataclass

from mutua.aid.models import AskStatus, OfferKind
from mutua.core.categories import Category

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

# Names neighbours use that no gazetteer holds (GeoNames has no Dalston in London, and no
# postcode districts): each area group adds those inside its own area, as a real group
# would by uploading a file, so "Dalston" or "E8 1DY" reach Hackney in the demo.
PLACE_NAMES: dict[str, tuple[tuple[str, float, float, str], ...]] = {
    "Hackney": (
        ("Dalston", 51.5463, -0.0754, "district"),
        ("Mare Street", 51.5450, -0.0553, "street"),
        ("E8", 51.5440, -0.0640, "postcode"),
        ("Homerton", 51.5467, -0.0421, "district"),
        ("Clapton", 51.5613, -0.0558, "district"),
    ),
    "Islington": (
        ("Clerkenwell", 51.5243, -0.1055, "district"),
        ("Highbury", 51.5524, -0.0972, "district"),
        ("N1", 51.5390, -0.1030, "postcode"),
    ),
    "Tower Hamlets": (
        ("Bethnal Green", 51.5270, -0.0550, "district"),
        ("E1", 51.5170, -0.0590, "postcode"),
    ),
    "Southwark": (
        ("Bermondsey", 51.4980, -0.0630, "district"),
        ("SE15", 51.4700, -0.0650, "postcode"),
    ),
}

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
