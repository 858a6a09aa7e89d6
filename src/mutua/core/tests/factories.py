"""factory-boy factories shared by every app's tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, Offer, OfferKind
from mutua.core import geo
from mutua.core.categories import Category
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import Profile, User

# Hackney, London: a real place, so routing and distances behave as they would.
HACKNEY = (51.5450, -0.0553)
PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def with_profile(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()
            Profile.objects.get_or_create(user=obj, defaults={"display_name": obj.email[:6]})


def make_group(
    *,
    name: str = "Hackney Central",
    center: tuple[float, float] = HACKNEY,
    radius_km: float = 2,
    kind: str = "ward",
    parent: Group | None = None,
    slug: str = "",
    established: bool = True,
) -> Group:
    """A group; established (receiving routed asks) unless told otherwise, as a group
    whose members already trust one another would be."""
    group = group_services.create_group(
        name=name,
        slug=slug,
        kind=kind,
        parent=parent,
        cells=geo.disk(center[0], center[1], radius_km, resolution=8),
    )
    if established:
        establish(group)
    return group


def establish(group: Group) -> Group:
    """Mark a group established (tests only: members establish it by trusting one another)."""
    group.established_at = timezone.now()
    Group.objects.filter(pk=group.pk).update(established_at=group.established_at)
    return group


def hold_role(group: Group, user: User, role: str, *, days: int = 30) -> None:
    """Give a member a role for a term, as a passed decision would (tests only)."""
    from mutua.governance.models import TermSource
    from mutua.governance.services._terms import _start_term

    now = timezone.now()
    _start_term(
        group=group,
        holder=user,
        role=role,
        source=TermSource.PROPOSAL,
        starts_at=now,
        ends_at=now + timedelta(days=days),
    )


def trusted(group: Group, user: User) -> User:
    """Make a member trusted with the group's asks, as `createuser --trusted` does."""
    from mutua.governance.services import trust_by_operator

    group_services.join_group(group=group, user=user)
    trust_by_operator(group=group, member=user)
    return user


def make_ask(*, lat: float = HACKNEY[0], lon: float = HACKNEY[1], **overrides: Any) -> Ask:
    fields: dict[str, Any] = {
        "what": "Shopping for the week: bread, milk, rice",
        "category": Category.GROCERIES,
        "urgency": 2,
        "language": "en",
        "address": "12 Example Road, London E8",
        "contact_name": "Ada",
        "contact_phone": "+442079460000",
        "consent": True,
    }
    # Tests make many asks alike from one contact; each is meant as an ask of its own.
    fields.setdefault("allow_duplicate", True)
    fields.update(overrides)
    return aid_services.create_ask(lat=lat, lon=lon, **fields)


class OfferFactory(factory.django.DjangoModelFactory[Offer]):
    class Meta:
        model = Offer

    member = factory.SubFactory(UserFactory)
    kind = OfferKind.TIME
    category = Category.GROCERIES
    what = "I can shop on Saturdays"
    created_at = factory.LazyFunction(timezone.now)


# A small London network in the demo's shape, for place-name tests: (name, centre, km).
LONDON_AREAS = (
    ("Hackney Mutual Aid", (51.55, -0.05), 3.0),
    ("Islington Mutual Aid", (51.53622, -0.10304), 3.0),
    ("Tower Hamlets Mutual Aid", (51.51382, -0.06583), 3.0),
    ("Southwark Mutual Aid", (51.47403, -0.06969), 3.0),
)
LONDON_WARDS = (
    ("Hackney Central Mutual Aid", (51.55, -0.05), 0.9, 0),
    ("Clerkenwell Mutual Aid", (51.52438, -0.11022), 0.9, 1),
)
# Names Hackney's group added for its area (as an upload would).
HACKNEY_PLACES = (
    ("Dalston", 51.5463, -0.0754, "district"),
    ("Mare Street", 51.5450, -0.0553, "street"),
    ("E8", 51.5440, -0.0640, "postcode"),
)


def london_network() -> dict[str, Group]:
    """The demo's network in miniature: London, four areas, two wards, and the place
    names Hackney Mutual Aid added. Returns the groups by name."""
    network = group_services.create_group(
        name="London Mutual Aid",
        kind="network",
        cells=geo.disk(51.50853, -0.12574, 20, resolution=6),
    )
    establish(network)
    groups = {network.name: network}
    areas = []
    for name, centre, km in LONDON_AREAS:
        area = make_group(name=name, center=centre, radius_km=km, kind="area", parent=network)
        areas.append(area)
        groups[name] = area
    for name, centre, km, parent in LONDON_WARDS:
        groups[name] = make_group(name=name, center=centre, radius_km=km, parent=areas[parent])
    group_services.add_place_names(
        group=groups["Hackney Mutual Aid"],
        places=[
            group_services.NewPlaceName(n, lat, lon, kind) for n, lat, lon, kind in HACKNEY_PLACES
        ],
    )
    return groups
