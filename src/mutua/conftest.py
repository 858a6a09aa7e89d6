"""Shared fixtures: the named personas every test speaks of."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mutua.core.tests.factories import UserFactory, make_group
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import User


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any) -> None:
    # Hashing passwords at full strength would make the suite minutes slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def ward(db: None) -> Group:
    """A ward group covering about 2 km around Hackney Central."""
    return make_group()


@pytest.fixture
def asker(db: None) -> User:
    return UserFactory.create(email="asker@example.org")


@pytest.fixture
def helper(db: None, ward: Group) -> User:
    user = UserFactory.create(email="helper@example.org")
    group_services.join_group(group=ward, user=user)
    return user


@pytest.fixture
def other_helper(db: None, ward: Group) -> User:
    user = UserFactory.create(email="other-helper@example.org")
    group_services.join_group(group=ward, user=user)
    return user


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory.create(email="outsider@example.org")


@pytest.fixture
def dispatcher(db: None, ward: Group) -> User:
    user = UserFactory.create(email="dispatcher@example.org")
    group_services.join_group(group=ward, user=user)
    return user


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
