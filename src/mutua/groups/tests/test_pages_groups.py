"""Group pages: the list, a group's public page, joining and leaving in one click."""

from __future__ import annotations

import pytest

from mutua.core.tests.factories import make_ask, make_group
from mutua.groups.models import Membership

pytestmark = pytest.mark.django_db


def test_group_list_links_every_group(client, ward):
    child = make_group(name="Mare Street", radius_km=0.5, kind="street", parent=ward)

    html = client.get("/groups/").content.decode()

    assert f'href="/groups/{ward.slug}/"' in html
    assert f'href="/groups/{child.slug}/"' in html
    assert "part of Hackney Central" in html


def test_group_page_shows_what_anyone_may_know(client, ward, helper, other_helper):
    ward.description = "Neighbours around Mare Street."
    ward.save()
    make_ask()
    make_ask()
    done = make_ask()
    done.status = "done"
    done.save()

    response = client.get(f"/groups/{ward.slug}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Hackney Central" in html and "Neighbours around Mare Street." in html
    assert "Ward" in html
    assert response.context["group"].member_count == 2
    assert response.context["group"].open_ask_count == 2
    assert "Join this group" in html


def test_street_group_names_its_parent(client, ward):
    child = make_group(name="Mare Street", radius_km=0.5, kind="street", parent=ward)

    html = client.get(f"/groups/{child.slug}/").content.decode()

    assert f'href="/groups/{ward.slug}/"' in html


def test_join_is_one_post_and_idempotent(client, outsider, ward):
    client.force_login(outsider)

    first = client.post(f"/groups/{ward.slug}/join/", follow=True)
    client.post(f"/groups/{ward.slug}/join/")

    assert Membership.objects.filter(group=ward, user=outsider).count() == 1
    html = first.content.decode()
    assert "You are a member of Hackney Central." in html
    assert "Leave the group" in html


def test_leave(client, helper, ward):
    client.force_login(helper)

    response = client.post(f"/groups/{ward.slug}/leave/", follow=True)

    assert not Membership.objects.filter(group=ward, user=helper).exists()
    assert "Join this group" in response.content.decode()


def test_joining_needs_an_account(client, ward):
    response = client.post(f"/groups/{ward.slug}/join/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/groups/{ward.slug}/"
    assert not Membership.objects.exists()


def test_join_by_get_changes_nothing(client, outsider, ward):
    client.force_login(outsider)
    assert client.get(f"/groups/{ward.slug}/join/").status_code == 405
    assert not Membership.objects.filter(user=outsider).exists()


def test_unknown_group_is_404(client, ward):
    assert client.get("/groups/no-such-group/").status_code == 404
