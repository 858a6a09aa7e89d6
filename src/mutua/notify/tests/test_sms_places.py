"""SMS with a place in words, on a London network like the demo's (issue 21)."""

from __future__ import annotations

import pytest

from mutua.aid.models import Ask
from mutua.core.tests.factories import london_network
from mutua.groups.models import Group
from mutua.notify.models import IntakeDraft
from mutua.notify.tests.conftest import text

CALLER = "+447700900333"


@pytest.fixture
def london(db: None) -> dict[str, Group]:
    return london_network()


def test_help_shopping_in_hackney_finds_hackney(london):
    reply = text("HELP shopping in Hackney", phone=CALLER)

    ask = Ask.objects.get()
    assert ask.group == london["Hackney Central Mutual Aid"]
    assert ask.what == "shopping"
    assert f"#{ask.pk}" in reply


def test_a_name_the_group_added_works_by_text(london):
    text("HELP prescription in Dalston", phone=CALLER)
    assert Ask.objects.get().group == london["Hackney Mutual Aid"]


def test_a_far_place_goes_to_the_hotline_not_to_a_far_town(london):
    reply = text("HELP shopping in Street", phone=CALLER)

    assert not Ask.objects.exists()
    assert IntakeDraft.objects.count() == 1
    assert "a volunteer will call you back" in reply
