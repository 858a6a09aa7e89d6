"""Personas of the resources tests: a treasurer the ward named, and plain members."""

from __future__ import annotations

import pytest

from mutua.core.tests.factories import UserFactory, hold_role
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import User


def member(group: Group, email: str, name: str = "") -> User:
    user = UserFactory.create(email=email)
    if name:
        user.profile.display_name = name
        user.profile.save()
    group_services.join_group(group=group, user=user)
    return user


@pytest.fixture
def treasurer(db: None, ward: Group) -> User:
    user = member(ward, "treasurer@example.org", "Tess")
    hold_role(ward, user, "treasurer")
    return user


@pytest.fixture
def neighbour(db: None, ward: Group) -> User:
    """A member who asks the funds for money."""
    return member(ward, "neighbour@example.org", "Nadia Quill")


@pytest.fixture
def onlooker(db: None, ward: Group) -> User:
    """A member who reads the ledger and holds no role."""
    return member(ward, "onlooker@example.org", "Otto")
