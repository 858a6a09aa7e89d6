"""Members hear of their group's decisions by the channels they chose."""

from __future__ import annotations

import pytest

from mutua.governance.models import LogEntry, LogKind
from mutua.governance.services import open_proposal
from mutua.notify.models import Message
from mutua.notify.services import notify_group_event

pytestmark = pytest.mark.django_db


def test_members_hear_of_a_new_proposal_but_not_its_author(
    settings, ward, helper, other_helper, django_capture_on_commit_callbacks
):
    settings.MUTUA_PUBLIC_URL = "https://aid.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        open_proposal(
            group=ward,
            author=helper,
            kind="general",
            title="A weekly food share at the library",
            text="Saturdays, 10 to 12, anyone welcome.",
            days=7,
        )

    sent = Message.objects.filter(key__startswith="group-log:")
    assert list(sent.values_list("to", flat=True)) == [other_helper.email]
    message = sent.get()
    assert "A weekly food share at the library" in message.body
    assert f"https://aid.example.org/groups/{ward.slug}/proposals/" in message.body
    assert message.subject.startswith(ward.name)


def test_announcing_the_same_decision_twice_sends_nothing_more(ward, helper, other_helper):
    open_proposal(
        group=ward, author=helper, kind="general", title="Tool library", text="Share tools.", days=7
    )
    entry = LogEntry.objects.get(kind=LogKind.PROPOSAL_OPENED)

    notify_group_event(entry=entry)
    notify_group_event(entry=entry)

    assert Message.objects.filter(key__startswith="group-log:").count() == 1
