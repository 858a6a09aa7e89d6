"""The demo answers the place names its neighbours type, not only the gazetteer's towns."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from mutua.groups.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", "--size", "tiny", "--seed", "1", stdout=StringIO(), stderr=StringIO())


def reached(client, text: str) -> Group:
    items = client.get("/api/v1/places", {"q": text}).json()["items"]
    assert items, text
    return Group.objects.get(slug=items[0]["group"])


@pytest.mark.parametrize("text", ["Dalston", "E8 1DY", "Mare Street", "Hackney"])
def test_hackney_names_reach_hackney(client, demo, text):
    group = reached(client, text)
    hackney = Group.objects.get(name="Hackney Mutual Aid")
    assert group == hackney or group.parent == hackney


def test_names_outside_an_area_are_left_out_not_refused(demo):
    # The tiny demo has two areas: Islington's names exist, Southwark's (not built) do not.
    islington = Group.objects.get(name="Islington Mutual Aid")
    assert islington.place_names.filter(name="Clerkenwell").exists()
    assert not Group.objects.filter(name="Southwark Mutual Aid").exists()
