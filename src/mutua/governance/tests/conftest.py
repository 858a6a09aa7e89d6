"""Governance tests speak of plain members: here `helper`, `other_helper` and `dispatcher`
hold no role and no trust, whatever the shared personas hold elsewhere, so that each test
grants exactly the roles it is about."""

from __future__ import annotations

import pytest

from mutua.core.tests.factories import UserFactory
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import User


def _plain_member(group: Group, email: str) -> User:
    user = UserFactory.create(email=email)
    group_services.join_group(group=group, user=user)
    return user


@pytest.fixture
def helper(db: None, ward: Group) -> User:
    return _plain_member(ward, "helper@example.org")


@pytest.fixture
def other_helper(db: None, ward: Group) -> User:
    return _plain_member(ward, "other-helper@example.org")


@pytest.fixture
def dispatcher(db: None, ward: Group) -> User:
    return _plain_member(ward, "dispatcher@example.org")
