"""Passing asks on between groups on one server: from the unrouted list (a member of any
group), from a group's ask page or the API (its dispatchers), and automatically after a
group's time to wait; with the ask's history, the access log and the receiving group's
log, and never by someone the rules do not allow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutua.aid import services
from mutua.aid.models import Ask, AskEvent, AskStatus
from mutua.aid.selectors import hand_on_targets
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.core.periodic import periodic_jobs
from mutua.core.tests.factories import hold_role, make_ask, make_group
from mutua.governance.models import GroupSettings, LogEntry, LogKind
from mutua.governance.selectors import setting_rows
from mutua.governance.services.effects import parse_setting
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.notify.models import Message
from mutua.people.services import issue_token
from mutua.privacy.models import AccessLog

BRIGHTON = (50.8225, -0.1372)  # about 80 km from every test group: no group covers it


@pytest.fixture
def area(ward: Group) -> Group:
    """The area group the ward is part of, covering it and more."""
    area = make_group(name="Hackney", slug="hackney", kind="area", radius_km=6)
    Group.objects.filter(pk=ward.pk).update(parent=area)
    ward.refresh_from_db()
    return area


@pytest.fixture
def far_ask(db) -> Ask:
    ask = make_ask(lat=BRIGHTON[0], lon=BRIGHTON[1])
    assert ask.group is None
    return ask


def _api(client, user, ask, group_slug):
    return client.post(
        f"/api/v1/asks/{ask.pk}/hand-on",
        data={"group": group_slug},
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_token(user=user)}"},
    )


# The unrouted list.


def test_the_unrouted_list_shows_the_place_in_words_and_the_nearest_groups(client, ward, far_ask):
    page = client.get("/unrouted/").content.decode()
    assert f'data-ask="{far_ask.pk}"' in page
    assert "Near Brighton" in page
    assert f'data-near="{ward.slug}"' in page
    assert " km)" in page
    assert "data-map-box" in page  # the small map of the coarse places
    assert 'name="group"' not in page  # a visitor sees no hand-on form


@pytest.mark.parametrize("page", ["99999999999999999999999", "-3", "two"])
def test_the_unrouted_list_reads_any_page_number_without_failing(client, far_ask, page):
    # A page number past the last one the database can skip to was a 500 (an OFFSET
    # overflow); past the end there is simply nothing to show.
    response = client.get("/unrouted/", {"page": page})

    assert response.status_code == 200


def test_a_member_of_any_group_passes_an_unrouted_ask_on(
    client, ward, helper, dispatcher, far_ask, django_capture_on_commit_callbacks
):
    client.force_login(helper)
    assert 'name="group"' in client.get("/unrouted/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/asks/{far_ask.pk}/hand-on/", {"group": ward.slug, "next": "/unrouted/"}
        )
    assert response.status_code == 302 and response["Location"] == "/unrouted/"
    far_ask.refresh_from_db()
    assert (far_ask.group, far_ask.status, far_ask.area_name) == (ward, AskStatus.OPEN, ward.name)
    event = far_ask.events.get(kind=AskEvent.Kind.PASSED)
    assert (event.from_group, event.to_group, event.actor) == (None, ward, helper)
    log = AccessLog.objects.get(ask=far_ask)
    assert (log.reason, log.viewer, log.channel) == ("other-group", helper, "hand-on")
    entry = LogEntry.objects.get(group=ward, kind=LogKind.ASK_PASSED_IN)
    assert entry.detail == f"#{far_ask.pk}" and entry.actor == helper
    assert "passed ask #" in entry.sentence()
    # The receiving group is told: its dispatchers, by the group-log hook notify handles.
    assert Message.objects.filter(key__startswith=f"group-log:{entry.pk}:", user=dispatcher)
    assert client.get("/unrouted/").content.decode().count("data-ask=") == 0


def test_the_api_lists_the_unrouted_asks_with_their_nearest_groups(client, ward, far_ask):
    got = client.get("/api/v1/asks/unrouted").json()
    assert got["next_page"] is None
    [item] = got["items"]
    assert (item["id"], item["group"], item["place_name"]) == (far_ask.pk, None, "Brighton")
    assert item["nearest"][0]["group"] == ward.slug and item["nearest"][0]["km"] > 50
    assert far_ask.contact_phone not in str(got) and far_ask.address not in str(got)
    assert client.get("/api/v1/asks/unrouted?page=0").status_code == 422


def _far_asks(count: int) -> list[Ask]:
    """Asks across Brighton, a few hundred metres apart, that no group covers."""
    return [
        make_ask(lat=BRIGHTON[0] + 0.003 * (i % 6), lon=BRIGHTON[1] + 0.003 * (i // 6))
        for i in range(count)
    ]


@pytest.mark.parametrize("url", ["/unrouted/", "/api/v1/asks/unrouted"])
def test_the_unrouted_list_reads_the_same_whatever_the_number_of_asks(
    client, ward, url, django_assert_num_queries
):
    _far_asks(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _far_asks(27)
    with django_assert_num_queries(len(few)):
        response = client.get(url)

    if url == "/unrouted/":
        page = response.content.decode()
        assert page.count("data-ask=") == 30
        assert page.count("Near ") >= 30 and page.count(f'data-near="{ward.slug}"') == 30
    else:
        items = response.json()["items"]
        assert len(items) == 30
        assert all(item["place_name"] and item["nearest"] for item in items)


def test_an_outsider_cannot_pass_an_unrouted_ask_on(client, ward, outsider, far_ask):
    client.force_login(outsider)
    assert 'name="group"' not in client.get("/unrouted/").content.decode()
    client.post(f"/asks/{far_ask.pk}/hand-on/", {"group": ward.slug})
    assert _api(client, outsider, far_ask, ward.slug).status_code == 403
    far_ask.refresh_from_db()
    assert far_ask.group is None
    assert not AccessLog.objects.filter(ask=far_ask).exists()


def test_a_visitor_is_sent_to_log_in(client, ward, far_ask):
    response = client.post(f"/asks/{far_ask.pk}/hand-on/", {"group": ward.slug})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_established_groups_near_it_are_offered(ward, helper, far_ask):
    young = make_group(
        name="Brighton Seafront", slug="seafront", center=BRIGHTON, established=False
    )
    assert [t.group for t in hand_on_targets(far_ask)] == [ward]
    with pytest.raises(InvalidInput):
        services.pass_to_group(ask=far_ask, to_group=young, actor=helper)


def test_the_network_page_counts_the_unrouted_asks(client, ward, area, far_ask):
    make_ask(lat=BRIGHTON[0] + 0.01, lon=BRIGHTON[1])
    page = client.get(f"/groups/{area.slug}/network/").content.decode()
    assert 'data-unrouted="2"' in page and 'data-unrouted-nearest="2"' in page
    elsewhere = make_group(name="Leeds", slug="leeds", center=(53.8, -1.55), kind="area")
    page = client.get(f"/groups/{elsewhere.slug}/network/").content.decode()
    assert 'data-unrouted="2"' in page and 'data-unrouted-nearest="0"' in page


# Between groups, by a click.


def test_a_dispatcher_passes_the_groups_ask_to_the_group_it_is_part_of(
    client, ward, area, dispatcher, django_capture_on_commit_callbacks
):
    ask = make_ask()
    assert ask.group == ward
    client.force_login(dispatcher)
    page = client.get(f"/asks/{ask.pk}/").content.decode()
    assert f'<option value="{area.slug}">' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/asks/{ask.pk}/hand-on/", {"group": area.slug})
    ask.refresh_from_db()
    assert ask.group == area
    page = client.get(f"/asks/{ask.pk}/").content.decode()
    assert "Where it has been" in page
    assert f"{ward.name} → {area.name}" in page


def test_members_who_are_not_dispatchers_cannot_pass_the_groups_asks(client, ward, area, helper):
    ask = make_ask()
    client.force_login(helper)
    assert 'name="group"' not in client.get(f"/asks/{ask.pk}/").content.decode()
    client.post(f"/asks/{ask.pk}/hand-on/", {"group": area.slug})
    assert _api(client, helper, ask, area.slug).status_code == 403
    with pytest.raises(NotAllowed):
        services.pass_to_group(ask=ask, to_group=area, actor=helper)
    ask.refresh_from_db()
    assert ask.group == ward


def test_the_api_lists_targets_and_passes_on(client, ward, area, dispatcher, outsider):
    ask = make_ask()
    token = issue_token(user=dispatcher)
    got = client.get(
        f"/api/v1/asks/{ask.pk}/hand-on", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert got["group"] == ward.slug and got["path"] == []
    assert got["targets"][0] == {"group": area.slug, "name": area.name, "km": 0.0, "parent": True}
    assert client.get(f"/api/v1/asks/{ask.pk}/hand-on").json()["targets"] == []
    assert _api(client, dispatcher, ask, "no-such-group").status_code == 400
    response = _api(client, dispatcher, ask, area.slug)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["group"] == area.slug
    assert [(s["from_group"], s["to_group"], s["automatic"]) for s in body["path"]] == [
        (ward.slug, area.slug, False)
    ]
    # Now the area holds it: the ward's dispatcher is not the area's.
    assert _api(client, dispatcher, ask, ward.slug).status_code == 403
    documented = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(documented["/api/v1/asks/{ask_id}/hand-on"])


def test_only_an_open_ask_is_passed_on(client, ward, area, dispatcher, helper):
    ask = make_ask()
    services.claim_ask(ask=ask, helper=helper)
    response = _api(client, dispatcher, ask, area.slug)
    assert response.status_code == 409 and "open" in response.json()["detail"]


def test_the_details_move_with_the_ask(client, ward, area, django_user_model):
    """The holding group's safeguarding role sees the details; once the ask is passed on,
    the receiving group's does, and the first group's no longer does."""
    ask = make_ask()
    here = django_user_model.objects.create_user(email="sg-ward@example.org", password="x")
    there = django_user_model.objects.create_user(email="sg-area@example.org", password="x")
    for group, person in ((ward, here), (area, there)):
        group_services.join_group(group=group, user=person)
        hold_role(group, person, "safeguarding")
    phone = "+442079460000"
    client.force_login(here)
    assert phone in client.get(f"/asks/{ask.pk}/").content.decode()
    services.pass_to_group(ask=ask, to_group=area, actor=None)
    assert phone not in client.get(f"/asks/{ask.pk}/").content.decode()
    client.force_login(there)
    assert phone in client.get(f"/asks/{ask.pk}/").content.decode()


# Between groups, after the group's time to wait.


def _wait_hours(group: Group, hours: int) -> None:
    GroupSettings.objects.update_or_create(group=group, defaults={"hand_on_after_hours": hours})


def test_an_ask_waiting_too_long_goes_to_the_parent_group(
    client, ward, area, dispatcher, django_capture_on_commit_callbacks
):
    ask = make_ask()
    later = timezone.now() + timedelta(hours=3)
    assert services.pass_overdue(now=later) == 0  # off by default
    _wait_hours(ward, 4)
    assert services.pass_overdue(now=later) == 0  # not waited long enough yet
    _wait_hours(ward, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.pass_overdue(now=later) == 1
    ask.refresh_from_db()
    assert ask.group == area
    event = ask.events.get(kind=AskEvent.Kind.PASSED)
    assert (event.from_group, event.to_group, event.actor) == (ward, area, None)
    assert AccessLog.objects.get(ask=ask).reason == "other-group"
    entry = LogEntry.objects.get(group=area, kind=LogKind.ASK_PASSED_IN)
    assert "waited longer" in entry.sentence()
    # Running again (or late) passes nothing more; the area never passes it back.
    _wait_hours(area, 1)
    assert services.pass_overdue(now=later + timedelta(hours=5)) == 0
    assert "(after its group's time to wait)" in client.get(f"/asks/{ask.pk}/").content.decode()


def test_the_wait_starts_when_the_ask_reaches_the_group(ward, area):
    ask = make_ask()
    _wait_hours(area, 2)
    services.pass_to_group(ask=ask, to_group=area, actor=None)
    soon = timezone.now() + timedelta(hours=1)
    assert services.pass_overdue(now=soon) == 0


def test_the_worker_runs_it_as_a_periodic_job():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["hand-on-overdue"].run is services.pass_overdue


def test_the_waiting_time_is_a_setting_a_proposal_changes(ward):
    rows = {row.key: row for row in setting_rows(ward)}
    assert rows["hand_on_after_hours"].value == "never"
    assert parse_setting("hand_on_after_hours", "24") == "24"
    with pytest.raises(InvalidInput):
        parse_setting("hand_on_after_hours", "-1")


# The command line.


def test_the_command_lists_and_passes_on(ward, far_ask, capsys):
    call_command("handon")
    out = capsys.readouterr().out
    assert f"#{far_ask.pk}" in out and ward.slug in out and "Brighton" in out
    call_command("handon", str(far_ask.pk), "--to", ward.slug)
    far_ask.refresh_from_db()
    assert far_ask.group == ward
    assert AccessLog.objects.get(ask=far_ask).viewer is None


def test_the_command_refuses_in_one_line(ward, far_ask):
    with pytest.raises(CommandError, match="--to"):
        call_command("handon", str(far_ask.pk))
    with pytest.raises(CommandError, match="No such"):
        call_command("handon", str(far_ask.pk), "--to", "nowhere")


def test_an_ask_keeps_its_place(ward, far_ask):
    services.pass_to_group(ask=far_ask, to_group=ward, actor=None)
    far_ask.refresh_from_db()
    assert (far_ask.lat, far_ask.lon) == BRIGHTON
