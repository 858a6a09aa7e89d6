"""A person's number on the check-in rota: shown only to their caller of the week while
both are still in, every showing logged and listed for the person, and wiped when they
stop their calls."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from mutua.checkins import services
from mutua.checkins.models import Callee, NumberShown
from mutua.core.tests.factories import HACKNEY, UserFactory
from mutua.groups import services as group_services

pytestmark = pytest.mark.django_db

PHONE = "+447700900601"


def olive(ward):
    """Olive signs herself up on her own account."""
    person = UserFactory.create(email="olive@example.org")
    group_services.join_group(group=ward, user=person)
    signed = services.sign_up(
        group=ward,
        by=person,
        name="Olive",
        phone=PHONE,
        language="en",
        lat=HACKNEY[0] + 0.0012,
        lon=HACKNEY[1] + 0.0007,
        consent=True,
        for_self=True,
    )
    return person, signed


def this_week(ward):
    return services.assign_week(group=ward, week=services.week_of(timezone.localdate()))


def test_each_showing_of_the_number_is_logged_and_the_person_sees_it(client, ward, helper):
    services.join_rota(group=ward, member=helper)
    person, signed = olive(ward)
    [assignment] = this_week(ward)
    assert assignment.caller == helper
    client.force_login(helper)

    first = client.get(f"/groups/{ward.slug}/checkins/").content.decode()
    client.get(f"/groups/{ward.slug}/checkins/")

    assert PHONE in first
    shown = NumberShown.objects.filter(callee=signed)
    assert [(s.viewer, s.channel) for s in shown] == [(helper, "web")] * 2
    client.force_login(person)
    own = client.get(f"/groups/{ward.slug}/checkins/").content.decode()
    listed = own.split("data-number-shown")[1].split("</details>")[0]
    assert listed.count("<li>") == 2 and helper.display_name in listed


def test_a_caller_who_left_the_rota_no_longer_sees_the_number(client, ward, helper):
    services.join_rota(group=ward, member=helper)
    _person, signed = olive(ward)
    this_week(ward)
    services.leave_rota(group=ward, member=helper)
    client.force_login(helper)

    page = client.get(f"/groups/{ward.slug}/checkins/").content.decode()

    assert PHONE not in page
    assert not NumberShown.objects.filter(callee=signed).exists()


def test_stopping_the_calls_wipes_name_number_and_address(client, ward, helper):
    services.join_rota(group=ward, member=helper)
    person, signed = olive(ward)
    this_week(ward)
    client.force_login(person)

    client.post(f"/groups/{ward.slug}/checkins/stop")

    stopped = Callee.objects.get(pk=signed.pk)
    assert (stopped.active, stopped.name, stopped.phone, stopped.address) == (False, "", "", "")
    # The exact place is gone too; only its public area (about 1 km across) is left.
    assert (stopped.lat, stopped.lon) != (HACKNEY[0] + 0.0012, HACKNEY[1] + 0.0007)
    assert abs(stopped.lat - HACKNEY[0]) < 0.01
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, name FROM checkins_callee WHERE id = %s", [signed.pk])
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert PHONE not in stored and "Olive" not in stored
    client.force_login(helper)
    assert PHONE not in client.get(f"/groups/{ward.slug}/checkins/").content.decode()
