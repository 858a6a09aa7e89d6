"""Groups through the API: the list, one group, joining and leaving, members."""

from __future__ import annotations

from typing import Any

import pytest

from mutua.core.tests.factories import make_ask, make_group
from mutua.groups.models import Membership
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


def test_groups_are_listed_with_their_counts_and_filtered(client, ward, helper, other_helper):
    network = make_group(name="London", kind="network", radius_km=15)
    make_ask()

    everything = client.get("/api/v1/groups").json()["items"]
    wards = client.get("/api/v1/groups?kind=ward").json()["items"]

    assert [g["slug"] for g in everything] == [network.slug, ward.slug]
    listed = everything[1]
    assert (listed["member_count"], listed["open_ask_count"]) == (2, 1)
    assert listed["center"] is not None and listed["area_km2"] > 0
    assert [g["slug"] for g in wards] == [ward.slug]


def test_one_group_by_its_short_name(client, ward):
    assert client.get(f"/api/v1/groups/{ward.slug}").json()["name"] == "Hackney Central"
    assert client.get("/api/v1/groups/atlantis").json() == {"detail": "Not found."}


def test_joining_is_one_request_and_leaving_too(client, ward, outsider):
    token = bearer(outsider)

    joined = client.post(f"/api/v1/groups/{ward.slug}/join", headers=token)
    again = client.post(f"/api/v1/groups/{ward.slug}/join", headers=token)
    mine = client.get("/api/v1/memberships", headers=token).json()["items"]

    assert joined.status_code == again.status_code == 200
    assert joined.json()["id"] == again.json()["id"]
    assert [m["group"] for m in mine] == [ward.slug]
    left = client.post(f"/api/v1/groups/{ward.slug}/leave", headers=token)
    assert left.status_code == 204
    assert not Membership.objects.filter(user=outsider).exists()
    assert client.post(f"/api/v1/groups/{ward.slug}/join").status_code == 401


def test_members_see_who_is_in_their_group_by_name_only(client, ward, helper, outsider):
    members = client.get(f"/api/v1/groups/{ward.slug}/members", headers=bearer(helper))
    refused = client.get(f"/api/v1/groups/{ward.slug}/members", headers=bearer(outsider))

    assert members.status_code == 200
    assert [m["name"] for m in members.json()["items"]] == [helper.display_name]
    assert "@" not in members.content.decode()
    assert refused.status_code == 403
