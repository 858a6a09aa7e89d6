"""The hotline form confirms the place with the caller, and tells the volunteer where the
ask went: the group, or the unrouted list with the nearest group (issue 21)."""

from __future__ import annotations

import pytest
from django.test import Client

from mutua.aid.models import Ask
from mutua.aid.tests.pages import send_ask
from mutua.core import geo
from mutua.core.tests.factories import UserFactory, hold_role, london_network
from mutua.groups.models import Group
from mutua.notify.tests.test_hotline import LEEDS, found_group


@pytest.fixture
def london(db: None) -> dict[str, Group]:
    return london_network()


@pytest.fixture
def volunteer(london: dict[str, Group]) -> Client:
    """A hotline volunteer, as in test_hotline (the group they founded gave them the role)."""
    person = UserFactory.create(email="hotline@example.org")
    group = found_group(founder=person, name="Leeds Central", cells=geo.disk(*LEEDS, 1, 8))
    hold_role(group, person, "hotline")
    client = Client()
    client.force_login(person)
    return client


def _call(**overrides: str) -> dict[str, str]:
    data = {
        "phone": "+44 20 7946 0001",
        "name": "Bea",
        "language": "en",
        "what": "Shopping for the week",
        "category": "groceries",
        "urgency": "2",
        "place": "Dalston",
        "address": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_the_volunteer_confirms_the_place_and_sees_the_group(volunteer, london):
    first = volunteer.post("/hotline/", _call())
    html = first.content.decode()
    assert first.status_code == 200
    assert "Near Dalston, Hackney: Hackney Mutual Aid will see it." in html
    assert not Ask.objects.exists()

    done = send_ask(volunteer, _call(), url="/hotline/", follow=True)
    ask = Ask.objects.get()
    assert ask.group == london["Hackney Mutual Aid"]
    assert f"Ask #{ask.pk} is recorded and went to Hackney Mutual Aid." in done.content.decode()


def test_an_unrouted_ask_names_the_nearest_group(volunteer, london):
    first = volunteer.post("/hotline/", _call(place="Manchester"))
    key = first.content.decode().split('name="place_choice" value="')[1].split('"')[0]
    done = volunteer.post("/hotline/", _call(place="Manchester", place_choice=key), follow=True)
    html = done.content.decode()
    assert Ask.objects.get().group is None
    assert "no group covers that place: it is on the unrouted list" in html
    assert "The nearest group is" in html
