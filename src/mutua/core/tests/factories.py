"""factory-boy factories shared by every app's tests."""

from __future__ import annotations

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
) -> Group:
    return group_services.create_group(
        name=name,
        slug=slug,
        kind=kind,
        parent=parent,
        cells=geo.disk(center[0], center[1], radius_km, resolution=8),
    )


def make_ask(*, lat: float = HACKNEY[0], lon: float = HACKNEY[1], **overrides: Any) -> Ask:
    fields: dict[str, Any] = {
        "what": "Shopping for the week: bread, milk, rice",
        "category": Category.GROCERIES,
        "urgency": 2,
        "language": "en",
        "address": "12 Example Road, London E8",
        "contact_name": "Ada",
        "contact_phone": "+44 20 7946 0000",
        "consent": True,
    }
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
