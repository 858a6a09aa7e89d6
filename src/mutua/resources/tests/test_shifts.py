"""Shifts: the rota, sign-up and drop-out with slots, reminders, and calendar feeds
parsed back with icalendar."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar

from mutua.conftest import login
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.resources import shift_times
from mutua.resources.events import ResourceChange, resource_changed
from mutua.resources.models import ShiftSignup
from mutua.resources.services import shifts as services
from mutua.resources.tests.conftest import member


def _next(weekday: int) -> date:
    """The next such weekday, at least two days away (so it has not started)."""
    day = timezone.localdate() + timedelta(days=2)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@pytest.fixture
def breakfast(ward, onlooker):
    """Breakfast club, Monday to Friday 7-9, three people."""
    return services.create_shift(
        group=ward,
        by=onlooker,
        title="Breakfast club",
        place="St Mark's hall",
        weekdays=[0, 1, 2, 3, 4],
        starts=time(7, 0),
        ends=time(9, 0),
        slots=3,
        first_day=timezone.localdate(),
    )


def test_slots_fill_and_a_drop_out_frees_one(ward, breakfast, onlooker, neighbour, treasurer):
    monday = _next(0)
    fourth = member(ward, "fourth@example.org")
    for person in (onlooker, neighbour, treasurer):
        services.sign_up(group=ward, shift_id=breakfast.pk, day=monday, member=person)
    with pytest.raises(Conflict, match="full"):
        services.sign_up(group=ward, shift_id=breakfast.pk, day=monday, member=fourth)
    with pytest.raises(Conflict, match="already"):
        services.sign_up(group=ward, shift_id=breakfast.pk, day=monday, member=onlooker)

    services.drop_out(group=ward, shift_id=breakfast.pk, day=monday, member=neighbour)
    services.sign_up(group=ward, shift_id=breakfast.pk, day=monday, member=fourth)
    active = ShiftSignup.objects.filter(day=monday, dropped_at__isnull=True)
    assert sorted(s.member_id for s in active) == sorted([onlooker.pk, treasurer.pk, fourth.pk])


def test_only_days_the_shift_runs_and_only_members(ward, breakfast, onlooker, outsider):
    with pytest.raises(InvalidInput, match="does not run"):
        services.sign_up(group=ward, shift_id=breakfast.pk, day=_next(6), member=onlooker)
    with pytest.raises(NotAllowed):
        services.sign_up(group=ward, shift_id=breakfast.pk, day=_next(0), member=outsider)
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises((Conflict, InvalidInput)):
        services.sign_up(group=ward, shift_id=breakfast.pk, day=yesterday, member=onlooker)


def test_a_night_shift_ends_the_next_morning():
    begins, ends = shift_times.span(date(2026, 3, 2), time(22, 0), time(6, 0))
    assert ends - begins == timedelta(hours=8)


def test_the_rota_page_signs_up_and_drops_out_without_javascript(client, ward, breakfast, onlooker):
    monday = _next(0).isoformat()
    login(client, onlooker)
    page = client.get(f"/groups/{ward.slug}/shifts/").content.decode()
    assert "Breakfast club" in page and "St Mark" in page

    client.post(f"/groups/{ward.slug}/shifts/{breakfast.pk}/signup/", {"day": monday})
    assert ShiftSignup.objects.filter(member=onlooker, dropped_at__isnull=True).count() == 1
    client.post(f"/groups/{ward.slug}/shifts/{breakfast.pk}/dropout/", {"day": monday})
    assert ShiftSignup.objects.filter(member=onlooker, dropped_at__isnull=True).count() == 0


def test_starting_a_shift_on_the_page_checks_its_input(client, ward, onlooker):
    login(client, onlooker)
    bad = client.post(
        f"/groups/{ward.slug}/shifts/",
        {
            "title": "Kitchen",
            "weekdays": ["2"],
            "starts": "10:00",
            "ends": "10:00",
            "slots": "2",
            "first_day": "2026-01-05",
        },
    )
    assert bad.status_code == 400
    good = client.post(
        f"/groups/{ward.slug}/shifts/",
        {
            "title": "Kitchen",
            "weekdays": ["2", "5"],
            "starts": "10:00",
            "ends": "13:00",
            "slots": "2",
            "first_day": "2026-01-05",
        },
    )
    assert good.status_code == 302


def test_outsiders_do_not_see_the_rota(client, ward, breakfast, outsider):
    assert login(client, outsider).get(f"/groups/{ward.slug}/shifts/").status_code == 403


def _events(body: bytes) -> list[Any]:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_the_group_feed_parses_back_to_the_shifts_with_counts_and_no_names(
    client, ward, breakfast, onlooker
):
    monday = _next(0)
    services.sign_up(group=ward, shift_id=breakfast.pk, day=monday, member=onlooker)

    response = client.get(f"/groups/{ward.slug}/shifts.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)

    today = timezone.localdate()
    expected = list(
        shift_times.days_of(
            [0, 1, 2, 3, 4], today, None, today - timedelta(days=30), today + timedelta(days=120)
        )
    )
    assert len(events) == len(expected)
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        local = timezone.localtime(start)
        assert local.weekday() < 5 and local.time() == time(7, 0)
        assert end - start == timedelta(hours=2)
        assert str(event["location"]) == "St Mark's hall"
    monday_event = next(
        e for e in events if timezone.localtime(e.decoded("dtstart")).date() == monday
    )
    assert "1 of 3" in str(monday_event["description"])
    assert b"Otto" not in response.content


def test_the_personal_feed_lists_my_shifts_until_i_stop_it(client, ward, breakfast, onlooker):
    monday, tuesday = _next(0), _next(1)
    services.sign_up(group=ward, shift_id=breakfast.pk, day=monday, member=onlooker)
    services.sign_up(group=ward, shift_id=breakfast.pk, day=tuesday, member=onlooker)
    key = services.new_calendar_feed(member=onlooker)

    events = _events(client.get(f"/calendar/{key}.ics").content)
    starts = sorted(timezone.localtime(e.decoded("dtstart")).date() for e in events)
    assert starts == sorted([monday, tuesday])
    uids = {str(e["uid"]) for e in events}
    assert len(uids) == 2

    new_key = services.new_calendar_feed(member=onlooker)
    assert client.get(f"/calendar/{key}.ics").status_code == 404
    services.revoke_calendar_feed(member=onlooker)
    assert client.get(f"/calendar/{new_key}.ics").status_code == 404


def test_me_links_to_my_calendar_which_shows_the_address_once(client, onlooker):
    login(client, onlooker)
    assert "/me/calendar/" in client.get("/me/").content.decode()
    made = client.post("/me/calendar/").content.decode()
    assert "/calendar/" in made and ".ics" in made
    assert ".ics" not in client.get("/me/calendar/").content.decode()


def test_reminders_go_once_for_shifts_within_a_day(
    ward, breakfast, onlooker, django_capture_on_commit_callbacks
):
    monday = _next(0)
    services.sign_up(group=ward, shift_id=breakfast.pk, day=monday, member=onlooker)
    heard: list[ResourceChange] = []
    resource_changed.register(heard.append)
    try:
        begins, _end = shift_times.span(monday, time(7), time(9))
        with_a_day_to_go = begins - timedelta(hours=20)
        assert services.remind_upcoming(now=begins - timedelta(days=2)) == 0
        with django_capture_on_commit_callbacks(execute=True):
            assert services.remind_upcoming(now=with_a_day_to_go) == 1
            assert services.remind_upcoming(now=with_a_day_to_go) == 0
    finally:
        resource_changed.unregister(heard.append)
    assert [c.event for c in heard] == ["shift-reminder"]


def test_a_reminder_reaches_the_member_by_email(
    ward, breakfast, onlooker, django_capture_on_commit_callbacks
):
    from mutua.notify.models import Message

    monday = _next(0)
    services.sign_up(group=ward, shift_id=breakfast.pk, day=monday, member=onlooker)
    begins, _end = shift_times.span(monday, time(7), time(9))
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_upcoming(now=begins - timedelta(hours=3))
    message = Message.objects.get(user=onlooker)
    assert "Breakfast club" in message.subject + message.body
    assert "St Mark" in message.body


def test_erasure_takes_the_person_off_shifts_to_come_and_stops_their_feed(
    client, ward, breakfast, onlooker
):
    from mutua.privacy import services as privacy_services

    services.sign_up(group=ward, shift_id=breakfast.pk, day=_next(0), member=onlooker)
    key = services.new_calendar_feed(member=onlooker)
    privacy_services.erase_account(user=onlooker, confirm_email=onlooker.email)
    assert not ShiftSignup.objects.filter(member=onlooker, dropped_at__isnull=True).exists()
    assert client.get(f"/calendar/{key}.ics").status_code == 404


def test_the_rota_through_the_api(client, ward, onlooker):
    from mutua.people.services import issue_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=onlooker)}"}
    base = f"/api/v1/groups/{ward.slug}/shifts"
    made = client.post(
        base,
        {
            "title": "Food bank",
            "weekdays": [5],
            "starts": "10:00",
            "ends": "12:00",
            "slots": 1,
            "first_day": timezone.localdate().isoformat(),
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201
    shift_id = made.json()["id"]
    saturday = _next(5).isoformat()
    signed = client.post(
        f"{base}/{shift_id}/signup", {"day": saturday}, content_type="application/json", **auth
    )
    assert signed.status_code == 204
    again = client.post(
        f"{base}/{shift_id}/signup", {"day": saturday}, content_type="application/json", **auth
    )
    assert again.status_code == 409 and "detail" in again.json()
    rota = client.get(base, **auth).json()["items"]
    mine = [d for d in rota if d["day"] == saturday]
    assert mine and mine[0]["mine"] and mine[0]["taken"] == 1


@pytest.mark.parametrize(
    ("starts", "ends"), [("07:00+01:00", "09:00"), (0, "09:00"), ("07:00", "09:00Z")]
)
def test_a_shift_time_with_a_time_zone_is_refused_and_nothing_is_saved(
    client, ward, onlooker, starts, ends
):
    from mutua.people.services import issue_token
    from mutua.resources.models import Shift

    # A shift runs at a time of day where the group is; a JSON number reads as an instant.
    response = client.post(
        f"/api/v1/groups/{ward.slug}/shifts",
        {
            "title": "Breakfast club",
            "weekdays": [0],
            "starts": starts,
            "ends": ends,
            "slots": 2,
            "first_day": timezone.localdate().isoformat(),
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user=onlooker)}",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 422, response.content
    # Said in the language the request asked for, as every error of the API is.
    assert "sin zona horaria" in response.json()["detail"]
    assert not Shift.objects.filter(group=ward).exists()
