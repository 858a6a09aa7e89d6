"""Shared fixtures: the named personas every test speaks of."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, settings

from mutua.core import outbound
from mutua.core.tests.factories import UserFactory, hold_role, make_group, trusted
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import User

# Property tests check behaviour, not speed (speed is measured in bench/): on a shared or
# loaded CI machine Hypothesis' per-example deadline and its slow-data health check turn
# a slow example into a failure that says nothing about the code.
settings.register_profile("mutua", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mutua")

# Names the tests use, and what they resolve to: no DNS query leaves the machine.
PUBLIC_ADDRESS = "93.184.216.34"
OFFLINE_DNS = {
    "internal.example.net": "10.1.2.3",
    "metadata.example.net": "169.254.169.254",
}


@pytest.fixture(autouse=True)
def _offline_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Example names resolve to fixed addresses without asking any DNS server; literal
    addresses and localhost are read as the system reads them."""
    real = outbound._system_getaddrinfo

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        lowered = name.lower().rstrip(".")
        if lowered in OFFLINE_DNS:
            return list(real(OFFLINE_DNS[lowered], port, *args, **kwargs))
        if lowered.endswith(("example.org", "example.com", "example.net")):
            return list(real(PUBLIC_ADDRESS, port, *args, **kwargs))
        return list(real(host, port, *args, **kwargs))

    monkeypatch.setattr(outbound, "_system_getaddrinfo", resolve)


@pytest.fixture(autouse=True)
def _no_language_left_over() -> Iterator[None]:
    yield
    # A request through the test client leaves its language active in this thread until
    # the next request: a later test that calls a service directly would read Spanish.
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_counts_left_over(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[None]:
    yield
    # The limits' counts (mutua.core.limits) live in the cache, a database table that is no
    # model's: the flush after a transactional test (a live server, a browser) leaves it
    # full. Ten anonymous asks from 127.0.0.1 in such tests then made a later test's ask
    # from the same address "too many" (a 400 on /ask/) in the same xdist worker.
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if (
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in names
        or "live_server" in names
    ):
        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Hashing passwords at full strength would make the suite minutes slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The worker's scheduled backups are off (a test inside a transaction cannot back up);
    # the tests that turn them on write nowhere near var/.
    settings.MUTUA_BACKUP_EVERY_HOURS = 0
    settings.MUTUA_BACKUP_DIR = tmp_path_factory.getbasetemp() / "backups"
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
    """A member the ward trusts with its asks."""
    return trusted(ward, UserFactory.create(email="helper@example.org"))


@pytest.fixture
def other_helper(db: None, ward: Group) -> User:
    return trusted(ward, UserFactory.create(email="other-helper@example.org"))


@pytest.fixture
def new_member(db: None, ward: Group) -> User:
    """A member who joined a minute ago: nobody trusts them with asks yet."""
    user = UserFactory.create(email="new-member@example.org")
    group_services.join_group(group=ward, user=user)
    return user


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory.create(email="outsider@example.org")


@pytest.fixture
def dispatcher(db: None, ward: Group) -> User:
    """A member the ward gave the dispatcher role."""
    user = UserFactory.create(email="dispatcher@example.org")
    group_services.join_group(group=ward, user=user)
    hold_role(ward, user, "dispatcher")
    return user


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
