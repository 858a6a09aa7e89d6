"""Gatherings: RSVP with counts, private attendance showing counts only, reminders a day
ahead, and the calendar files parsed back with icalendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from mutua.conftest import login
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.people.services import issue_token
from mutua.resources.services import gatherings as services
from mutua.resources.services import shifts as shift_services


def _at(days, hour=18):
    return (timezone.localtime() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def support(ward, onlooker):
    """A peer-support meeting that keeps its attendance private."""
    return services.create_gathering(
        group=ward,
        by=onlooker,
        title="Peer support: carers",
        place="St Mark's hall",
        starts_at=_at(3),
        private_attendance=True,
    )


@pytest.fixture
def assembly(ward, onlooker):
    return services.create_gathering(
        group=ward, by=onlooker, title="Assembly", place="The park", starts_at=_at(5)
    )


def test_private_attendance_shows_counts_only_everywhere(
    client, ward, support, assembly, onlooker, neighbour, treasurer
):
    for person in (neighbour, treasurer):
        services.answer(group=ward, gathering_id=support.pk, member=person, going=True)
        services.answer(group=ward, gathering_id=assembly.pk, member=person, going=True)

    login(client, onlooker)  # who called it sees no names either
    html = client.get(f"/groups/{ward.slug}/gatherings/").content.decode()
    card = html.split(f'id="gathering-{support.pk}"')[1].split("</li>")[0]
    assert "2 coming" in card and "Nadia" not in card and "Tess" not in card
    other = html.split(f'id="gathering-{assembly.pk}"')[1].split("</li>")[0]
    assert "Nadia Quill" in other and "Tess" in other

    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=onlooker)}"}
    items = {
        g["id"]: g
        for g in client.get(f"/api/v1/groups/{ward.slug}/gatherings", **auth).json()["items"]
    }
    assert (items[support.pk]["going"], items[support.pk]["names"]) == (2, [])
    assert sorted(items[assembly.pk]["names"]) == ["Nadia Quill", "Tess"]

    # Nor does a calendar file name anyone.
    body = client.get(f"/groups/{ward.slug}/gatherings/{support.pk}.ics").content
    assert b"Nadia" not in body and b"Tess" not in body


def test_answers_change_and_count(client, ward, assembly, neighbour, outsider):
    login(client, neighbour)
    page = f"/groups/{ward.slug}/gatherings/"
    client.post(f"{page}{assembly.pk}/rsvp/", {"going": "yes"})
    assert "1 coming" in client.get(page).content.decode()
    client.post(f"{page}{assembly.pk}/rsvp/", {"going": "no"})
    html = client.get(page).content.decode()
    assert "0 coming" in html and "You said you cannot come" in html
    with pytest.raises(NotAllowed):
        services.answer(group=ward, gathering_id=assembly.pk, member=outsider, going=True)
    login(client, outsider)
    assert client.get(page).status_code == 403


def test_a_gathering_checks_its_times(ward, onlooker):
    with pytest.raises(InvalidInput):
        services.create_gathering(
            group=ward, by=onlooker, title="Late", place="Hall", starts_at=_at(-1)
        )
    with pytest.raises(InvalidInput):
        services.create_gathering(
            group=ward, by=onlooker, title="Odd", place="Hall", starts_at=_at(2), ends_at=_at(1)
        )


def test_no_answers_once_it_is_over(ward, assembly, neighbour):
    later = assembly.ends_at + timedelta(minutes=1)
    with pytest.raises(Conflict):
        services.answer(
            group=ward, gathering_id=assembly.pk, member=neighbour, going=True, now=later
        )


def test_those_coming_are_reminded_a_day_ahead_once(
    ward, assembly, neighbour, treasurer, django_capture_on_commit_callbacks
):
    from mutua.notify.models import Message

    services.answer(group=ward, gathering_id=assembly.pk, member=neighbour, going=True)
    services.answer(group=ward, gathering_id=assembly.pk, member=treasurer, going=False)
    assert services.remind_upcoming() == 0
    eve = assembly.starts_at - timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_upcoming(now=eve) == 1
        assert services.remind_upcoming(now=eve) == 0
    message = Message.objects.get(key__startswith="gathering-reminder:")
    assert message.user == neighbour and "Assembly" in message.subject


def test_calendar_files_parse_back_to_the_gatherings(client, ward, support, assembly, neighbour):
    login(client, neighbour)
    body = client.get(f"/groups/{ward.slug}/gatherings/{assembly.pk}.ics").content
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert event.decoded("dtstart") == assembly.starts_at
    assert event.decoded("dtend") == assembly.ends_at
    assert str(event["location"]) == "The park"

    # The private feed lists the gatherings the member is going to, beside their shifts.
    services.answer(group=ward, gathering_id=support.pk, member=neighbour, going=True)
    key = shift_services.new_calendar_feed(member=neighbour)
    feed = Calendar.from_ical(client.get(f"/calendar/{key}.ics").content)
    summaries = [str(e["summary"]) for e in feed.walk("VEVENT")]
    assert summaries == [f"Peer support: carers · {ward.name}"]


def test_a_time_without_an_offset_is_read_in_the_servers_zone(client, ward, onlooker):
    from mutua.resources.models import Gathering

    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=onlooker)}"}
    base = f"/api/v1/groups/{ward.slug}/gatherings"
    body = {"title": "Assembly", "place": "St Mark's hall"}
    # "2025-03-04T18:00" as a script or spreadsheet writes it, with no offset.
    naive = _at(3).replace(tzinfo=None).isoformat(timespec="minutes")

    made = client.post(base, {**body, "starts_at": naive}, content_type="application/json", **auth)
    past = client.post(
        base, {**body, "starts_at": "2020-01-01"}, content_type="application/json", **auth
    )

    assert made.status_code == 201, made.content
    assert Gathering.objects.get(pk=made.json()["id"]).starts_at == _at(3)
    assert past.status_code == 400 and "from now to a year ahead" in past.json()["detail"]
