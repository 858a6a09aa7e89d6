"""A member's second area: chosen from "where help is missing" or the API, one at a time,
given up on /me/ or by the API; joining the group if need be."""

from __future__ import annotations

from typing import Any

import pytest

from mutua.conftest import login
from mutua.core.tests.factories import make_group
from mutua.groups.models import Membership
from mutua.groups.selectors import second_area_of
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


@pytest.fixture
def croydon(db):
    return make_group(name="Croydon Central", center=(51.3762, -0.0982), radius_km=2)


def test_choosing_a_second_area_joins_its_group(client, ward, outsider):
    login(client, outsider)

    answer = client.post(
        f"/groups/{ward.slug}/second-area/", {"next": f"/groups/{ward.slug}/network/help-missing/"}
    )

    assert answer.status_code == 302
    assert answer["Location"] == f"/groups/{ward.slug}/network/help-missing/"
    assert second_area_of(outsider) == ward
    assert Membership.objects.get(user=outsider, group=ward).second_area
    page = client.get("/me/").content.decode()
    assert f'data-second-area="{ward.slug}"' in page


def test_a_member_has_one_second_area_at_a_time(client, ward, croydon, outsider):
    login(client, outsider)
    client.post(f"/groups/{ward.slug}/second-area/")
    client.post(f"/groups/{croydon.slug}/second-area/")

    assert second_area_of(outsider) == croydon
    # Still a member of the first group; only the second area moved.
    assert list(
        Membership.objects.filter(user=outsider)
        .order_by("group__name")
        .values_list("group__slug", "second_area")
    ) == [(croydon.slug, True), (ward.slug, False)]


def test_stopping_keeps_the_membership(client, ward, outsider):
    login(client, outsider)
    client.post(f"/groups/{ward.slug}/second-area/")

    answer = client.post(f"/groups/{ward.slug}/second-area/stop/", {"next": "/me/"})

    assert answer["Location"] == "/me/"
    assert second_area_of(outsider) is None
    assert Membership.objects.filter(user=outsider, group=ward).exists()
    assert "data-second-area" not in client.get("/me/").content.decode()


def test_signed_out_people_are_sent_to_log_in(client, ward):
    answer = client.post(f"/groups/{ward.slug}/second-area/")

    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert not Membership.objects.filter(group=ward).exists()


def test_a_group_with_no_area_cannot_be_a_second_area(client, outsider):
    nowhere = make_group(name="Nowhere Yet")
    nowhere.center_lat = nowhere.center_lon = None
    nowhere.save()
    login(client, outsider)

    answer = client.post(f"/groups/{nowhere.slug}/second-area/", follow=True)

    assert "has no area on the map yet" in answer.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()


def test_the_api_chooses_and_gives_up_a_second_area(client, ward, croydon, outsider):
    token = bearer(outsider)

    chosen = client.post(f"/api/v1/groups/{ward.slug}/second-area", headers=token)
    mine = client.get("/api/v1/memberships", headers=token).json()["items"]
    other = client.delete(f"/api/v1/groups/{croydon.slug}/second-area", headers=token)

    assert chosen.status_code == 200
    assert chosen.json()["second_area"] is True and chosen.json()["group"] == ward.slug
    assert [(m["group"], m["second_area"]) for m in mine] == [(ward.slug, True)]
    # Giving up another group's second area leaves this one.
    assert other.status_code == 204 and second_area_of(outsider) == ward
    stopped = client.delete(f"/api/v1/groups/{ward.slug}/second-area", headers=token)
    assert stopped.status_code == 204 and second_area_of(outsider) is None
    assert client.post("/api/v1/groups/atlantis/second-area", headers=token).status_code == 404
    assert client.post(f"/api/v1/groups/{ward.slug}/second-area").status_code == 401
