"""A callout reaches exactly the members near it, each once on the fastest channel they
opted into, and their answers, by page and by text, are counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mutua.core.tests.factories import UserFactory, hold_role
from mutua.groups import services as group_services
from mutua.matching.tests.db_people import CROYDON, HACKNEY, NEAR, ready_to_help
from mutua.notify.models import Channel, Message
from mutua.notify.tests.conftest import link_phone, text
from mutua.resources.models import Callout
from mutua.resources.services import callouts as callout_services

pytestmark = pytest.mark.django_db

SETTINGS = {"nearby_asks": "digest", "by_email": "on", "language": "", "apprise_url": ""}
TELEGRAM = "tgram://123456789:AABBCCDDEEFFGGHHIIJJKKLLMMNNOOPPQQR/12345"
SAM_PHONE = "+447700900222"


def _member(ward, name, *, home=NEAR, paused=False, **settings):
    user = UserFactory.create(email=f"{name}@example.org")
    group_services.join_group(group=ward, user=user)
    ready_to_help(user, home=home, paused=paused)
    if settings:
        client = Client()
        client.force_login(user)
        client.post("/me/notifications/", {**SETTINGS, **settings})
    return user


@pytest.fixture
def caller(ward):
    user = _member(ward, "caller", home=HACKNEY)
    hold_role(ward, user, "caller")
    return user


@pytest.fixture
def people(ward, sms_gateway):
    sam = _member(ward, "sam")  # a linked phone, texts on
    link_phone(sam, SAM_PHONE)
    return {
        "sam": sam,
        "ed": _member(ward, "ed"),  # e-mail, the default
        "tg": _member(ward, "tg", apprise_url=TELEGRAM),  # an app and e-mail
        "quiet": _member(ward, "quiet", by_email=""),  # nothing at all
        "far": _member(ward, "far", home=CROYDON),
        "resting": _member(ward, "resting", paused=True),
        "homeless": _member(ward, "homeless", home=None),
        "outsider": ready_to_help(UserFactory.create(email="out@example.org"), home=NEAR),
    }


def _send(ward, caller, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return callout_services.send_callout(
            group=ward,
            by=caller,
            what="Eviction defence: bodies at the door",
            place="Mare Street",
            lat=HACKNEY[0],
            lon=HACKNEY[1],
            radius_km=1.5,
            starts_at=timezone.now() + timedelta(minutes=45),
            **extra,
        )


def _answer(client, ward, callout, people):
    """Ed is coming and Tg cannot, said on the page; Sam is coming, said by text. Returns
    the callouts page's address."""
    page = f"/groups/{ward.slug}/callouts/"
    client.force_login(people["ed"])
    client.post(f"{page}{callout.pk}/answer/", {"answer": "coming"})
    client.force_login(people["tg"])
    client.post(f"{page}{callout.pk}/answer/", {"answer": "cant"})
    assert "count you in" in text(f"#C{callout.pk} yes", phone=SAM_PHONE)
    return page


def test_a_callout_reaches_exactly_the_members_near_it_on_their_fastest_channel(
    ward, caller, people, django_capture_on_commit_callbacks
):
    callout = _send(ward, caller, django_capture_on_commit_callbacks)

    sent = {(m.user_id, m.channel) for m in Message.objects.filter(key__startswith="callout:")}
    assert sent == {
        (people["sam"].pk, Channel.SMS),
        (people["ed"].pk, Channel.EMAIL),
        (people["tg"].pk, Channel.APPRISE),
    }
    callout.refresh_from_db()
    assert callout.reached == 3
    sms = Message.objects.get(user=people["sam"], key__startswith="callout:")
    assert f"#C{callout.pk} YES" in sms.body and "Mare Street" in sms.body

    # Announced twice (a retried hook), nobody is told twice.
    from mutua.notify.services.resources import notify_resource_event
    from mutua.resources.events import ResourceChange, ResourceEvent

    notify_resource_event(change=ResourceChange(ResourceEvent.CALLOUT_SENT, ward.pk, callout.pk))
    assert Message.objects.filter(key__startswith="callout:").count() == 3


def test_answers_by_page_and_by_text_are_counted(
    client, ward, caller, people, django_capture_on_commit_callbacks
):
    callout = _send(ward, caller, django_capture_on_commit_callbacks)
    page = _answer(client, ward, callout, people)

    count = client.get(f"{page}{callout.pk}/count/").content.decode()
    assert "<strong>2</strong> coming" in count and "1 can't" in count
    assert 'hx-trigger="every' in count

    # Sam changes their mind by text; a stranger's number cannot answer.
    assert "count you out" in text(f"#C{callout.pk} NO", phone=SAM_PHONE)
    assert "not linked" in text(f"#C{callout.pk} YES", phone="+447700900999")
    assert "YES if you are coming" in text(f"#C{callout.pk} perhaps", phone=SAM_PHONE)
    count = client.get(f"{page}{callout.pk}/count/").content.decode()
    assert "<strong>1</strong> coming" in count and "2 can't" in count

    # Once the event is over the callout closes by itself and takes no more answers.
    assert callout_services.close_finished(now=callout.ends_at + timedelta(minutes=1)) == 1
    assert "over" in text(f"#C{callout.pk} YES", phone=SAM_PHONE)
    assert Callout.objects.get(pk=callout.pk).closed_at is not None


def test_a_member_in_quiet_hours_past_the_event_is_not_woken(
    ward, caller, sms_gateway, django_capture_on_commit_callbacks
):
    local = timezone.localtime()
    asleep = _member(
        ward,
        "asleep",
        quiet_from=(local - timedelta(hours=1)).strftime("%H:%M"),
        quiet_to=(local + timedelta(hours=5)).strftime("%H:%M"),
    )
    awake = _member(ward, "awake")

    callout = _send(ward, caller, django_capture_on_commit_callbacks)

    told = set(Message.objects.filter(key__startswith="callout:").values_list("user_id", flat=True))
    assert told == {awake.pk}
    assert asleep.pk not in told
    callout.refresh_from_db()
    assert callout.reached == 1


def test_those_coming_are_told_when_the_caller_closes_it_early(
    client, ward, caller, people, django_capture_on_commit_callbacks
):
    callout = _send(ward, caller, django_capture_on_commit_callbacks)
    page = _answer(client, ward, callout, people)

    client.force_login(caller)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{page}{callout.pk}/close/", {"reason": "Enough people are here"})

    told = Message.objects.filter(key__startswith="callout-closed:")
    assert {(m.user_id, m.channel) for m in told} == {
        (people["sam"].pk, Channel.SMS),
        (people["ed"].pk, Channel.EMAIL),
    }
    sms = told.get(user=people["sam"]).body
    assert "no need to come" in sms and "Enough people are here" in sms
    assert "Mare Street" in told.get(user=people["ed"]).body


def test_a_caller_who_said_they_were_coming_and_closes_it_is_not_told(
    client, ward, caller, people, django_capture_on_commit_callbacks
):
    # Ed is a second caller: he said he was coming, got there, and closes it himself.
    hold_role(ward, people["ed"], "caller")
    callout = _send(ward, caller, django_capture_on_commit_callbacks)
    page = _answer(client, ward, callout, people)

    client.force_login(people["ed"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{page}{callout.pk}/close/", {"reason": "Enough of us are here"})

    told = Message.objects.filter(key__startswith="callout-closed:")
    assert {(m.user_id, m.channel) for m in told} == {(people["sam"].pk, Channel.SMS)}
    closed = Callout.objects.get(pk=callout.pk)
    assert closed.closed_by == people["ed"] and not closed.is_open
