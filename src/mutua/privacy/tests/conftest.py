"""Personas for the privacy tests: the ward is founded by `guardian`, to whom the group
gave the safeguarding and hotline roles (founding alone gives neither)."""

from __future__ import annotations

import pytest

from mutua.aid import services as aid_services
from mutua.aid.models import Ask
from mutua.core import geo
from mutua.core.tests.factories import (
    HACKNEY,
    UserFactory,
    establish,
    hold_role,
    make_ask,
    trusted,
)
from mutua.governance import services as governance_services
from mutua.groups.models import Group
from mutua.people.models import User

# Planted in the ask: none of these may reach a viewer who is not allowed the details.
NAME = "Zebedee Quillfeather"
PHONE = "+442079460991"
EMAIL = "zq-secret-contact@example.net"
ADDRESS = "77 Hidden Lane, London E8"
LAT, LON = 51.5461234, -0.0551234
SECRETS = [NAME, PHONE, EMAIL, ADDRESS, "51.5461234", "-0.0551234"]


@pytest.fixture
def guardian(db: None) -> User:
    return UserFactory.create(email="guardian@example.org")


@pytest.fixture
def ward(db: None, guardian: User) -> Group:
    group = governance_services.found_group(
        founder=guardian, name="Hackney Central", cells=geo.disk(*HACKNEY, 2, resolution=8)
    )
    establish(group)
    hold_role(group, guardian, "safeguarding")
    hold_role(group, guardian, "hotline")
    return group


@pytest.fixture
def released_helper(db: None, ward: Group) -> User:
    return trusted(ward, UserFactory.create(email="released@example.org"))


@pytest.fixture
def planted(asker: User, helper: User, released_helper: User, ward: Group) -> Ask:
    """An ask with planted contact details, claimed and released by one member and now
    claimed by `helper`."""
    ask = make_ask(
        lat=LAT,
        lon=LON,
        contact_name=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
        address=ADDRESS,
        asker=asker,
    )
    assert ask.group == ward
    aid_services.claim_ask(ask=ask, helper=released_helper)
    aid_services.release_ask(ask=ask, helper=released_helper)
    aid_services.claim_ask(ask=ask, helper=helper)
    return ask
