"""Governance pages through the browser's front door: who may see and post what, and the
flows a member goes through (start a group, propose, take a position, trust, read)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutua.governance.models import (
    Agreement,
    Comment,
    LogEntry,
    Position,
    Proposal,
    RoleTerm,
    Trust,
)
from mutua.governance.tests.factories import agree, decide, member_of, propose
from mutua.governance.urls import urlpatterns
from mutua.groups.models import Group, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(ward, helper, other_helper, dispatcher):
    """A ward with an adopted agreement and an open proposal."""
    adopt = propose(
        ward, helper, "agreement", agreement_title="Safer visits", agreement_text="In pairs."
    )
    agree(adopt, helper, other_helper, dispatcher)
    decide(adopt)
    return {
        "slug": ward.slug,
        "proposal_id": propose(ward, helper).pk,
        "agreement_id": Agreement.objects.get().pk,
        "kind": "general",
    }


PUBLIC = {"agreements", "agreement_detail"}
# Public to read, with a form for members: tested in test_area_change.py.
OWN_TESTS = {"area"}
ANY_ACCOUNT = {"group_new"}
POSTS = {
    "proposal_position": {"stance": "agree"},
    "proposal_comment": {"text": "Yes please"},
    "proposal_withdraw": {},
    "trust_give": {"role": "welcomer"},
    "trust_withdraw": {"role": "welcomer"},
}
MEMBER_PAGES = {
    "proposals",
    "proposal_kinds",
    "proposal_new",
    "proposal_detail",
    "proposal_edit",
    "proposal_versions",
    "roles",
    "history",
}


def _url(name: str, scene: dict[str, object]) -> str:
    route = next(p for p in urlpatterns if p.name == name)
    kwargs = {key: scene[key] for key in route.pattern.converters}
    return reverse(f"governance:{name}", kwargs=kwargs)


def test_every_governance_route_is_covered_by_these_tests():
    assert {p.name for p in urlpatterns} == (
        PUBLIC | ANY_ACCOUNT | set(POSTS) | MEMBER_PAGES | OWN_TESTS
    )


@pytest.mark.parametrize("name", sorted(MEMBER_PAGES))
def test_member_pages(client, scene, helper, outsider, name):
    url = _url(name, scene)

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")

    client.force_login(outsider)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "for its members" in refused.content.decode()

    client.force_login(helper)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", sorted(POSTS))
def test_posts_from_outside_change_nothing(client, scene, outsider, other_helper, name):
    url = _url(name, scene)
    data = {**POSTS[name], "receiver": other_helper.pk}

    def counts():
        models = (Proposal, Position, Comment, Trust, RoleTerm, LogEntry, Membership)
        statuses = list(Proposal.objects.values_list("status", flat=True))
        return [m.objects.count() for m in models], statuses

    before = counts()
    anonymous = client.post(url, data)
    client.force_login(outsider)
    refused = client.post(url, data)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert refused.status_code == 403
    assert counts() == before
    assert client.get(url).status_code == 405  # a GET never changes anything either


@pytest.mark.parametrize("name", sorted(PUBLIC | set(POSTS) | MEMBER_PAGES))
def test_no_governance_route_takes_a_post_from_outside(client, scene, outsider, helper, name):
    """Whatever is sent (here everything a form could hold), outsiders change nothing."""
    data = {
        "title": "Mine",
        "text": "Give me every role",
        "days": "7",
        "stance": "agree",
        "receiver": outsider.pk,
        "subject": outsider.pk,
        "role": "treasurer",
    }
    client.force_login(outsider)
    before = [m.objects.count() for m in (Proposal, Position, Comment, Trust, RoleTerm)]

    response = client.post(_url(name, scene), data)

    assert response.status_code in (403, 405)
    assert [m.objects.count() for m in (Proposal, Position, Comment, Trust, RoleTerm)] == before
    assert Proposal.objects.get(pk=scene["proposal_id"]).title != "Mine"


def test_posts_from_members_work(client, scene, helper, other_helper):
    client.force_login(other_helper)
    for name in ("proposal_position", "proposal_comment"):
        response = client.post(_url(name, scene), POSTS[name])
        assert response.status_code == 302
    client.force_login(helper)
    client.post(_url("trust_give", scene), {"receiver": other_helper.pk, "role": "welcomer"})
    client.post(_url("proposal_withdraw", scene))

    assert Position.objects.filter(member=other_helper, stance="agree").exists()
    assert Comment.objects.filter(author=other_helper, text="Yes please").exists()
    assert Trust.objects.filter(giver=helper, receiver=other_helper).exists()
    assert Proposal.objects.get(pk=scene["proposal_id"]).status == "withdrawn"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_agreements_are_public(client, scene, name):
    response = client.get(_url(name, scene))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Safer visits" in html
    assert "Propose a change" not in html and "Propose an agreement" not in html


def test_starting_a_group_needs_an_account(client):
    response = client.get("/groups/new/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/groups/new/"


def test_start_a_group_end_to_end(client, outsider):
    client.force_login(outsider)
    form = client.get("/groups/new/")
    assert form.status_code == 200

    response = client.post(
        "/groups/new/",
        {
            "name": "Dalston Mutual Aid",
            "kind": "ward",
            "place": "51.5465, -0.0754",
            "radius_km": "1",
        },
        follow=True,
    )

    group = Group.objects.get(name="Dalston Mutual Aid")
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/groups/{group.slug}/"
    assert "is founded" in html
    assert Membership.objects.filter(group=group, user=outsider).exists()
    roles = client.get(f"/groups/{group.slug}/roles/").content.decode()
    assert roles.count("by founding the group") == 1
    # Founding holds none of the roles that see askers' details or waiting texts.
    assert "Nobody holds this role" in roles


def test_start_a_group_with_no_place_says_so(client, outsider):
    client.force_login(outsider)
    response = client.post("/groups/new/", {"name": "Somewhere", "kind": "ward", "radius_km": "1"})

    assert response.status_code == 400
    assert "We could not find that place" in response.content.decode()
    assert not Group.objects.exists()


def test_start_a_group_with_a_taken_name_shows_it_on_the_form(client, outsider, ward):
    client.force_login(outsider)
    response = client.post(
        "/groups/new/",
        {"name": ward.name, "kind": "ward", "place": "51.5465, -0.0754", "radius_km": "1"},
    )

    assert response.status_code == 400
    assert "is taken" in response.content.decode()
    assert Group.objects.count() == 1


def test_propose_a_role_and_decide_it_through_the_pages(
    client, ward, helper, other_helper, dispatcher
):
    client.force_login(helper)
    kinds = client.get(f"/groups/{ward.slug}/proposals/new/").content.decode()
    assert f"/groups/{ward.slug}/proposals/new/grant-role/" in kinds

    response = client.post(
        f"/groups/{ward.slug}/proposals/new/grant-role/",
        {
            "title": "Dispatcher for the winter",
            "text": "Sam knows the streets.",
            "role": "dispatcher",
            "subject": dispatcher.pk,
            "term_days": "30",
            "days": "7",
        },
        follow=True,
    )
    html = response.content.decode()
    proposal = Proposal.objects.get()
    assert response.redirect_chain[-1][0] == f"/groups/{ward.slug}/proposals/{proposal.pk}/"
    assert "holds the role Dispatcher for 30 days" in html
    assert "at least 3 members agree" in html

    for person in (helper, other_helper, dispatcher):
        client.force_login(person)
        client.post(f"/groups/{ward.slug}/proposals/{proposal.pk}/position/", {"stance": "agree"})
    decide(proposal)

    page = client.get(f"/groups/{ward.slug}/proposals/{proposal.pk}/").content.decode()
    roles = client.get(f"/groups/{ward.slug}/roles/").content.decode()
    history = client.get(f"/groups/{ward.slug}/history/").content.decode()
    assert "It passed." in page
    assert "by a decision" in roles
    assert "holds the role Dispatcher until" in history
    assert "The proposal “Dispatcher for the winter” passed." in history


def test_a_proposal_form_with_mistakes_is_shown_again(client, ward, helper):
    client.force_login(helper)
    response = client.post(
        f"/groups/{ward.slug}/proposals/new/change-setting/",
        {
            "title": "Faster",
            "text": "Two is enough",
            "setting_key": "min_agrees",
            "setting_value": "two",
            "days": "7",
        },
    )

    assert response.status_code == 400
    assert "must be a whole number" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_block_without_a_reason_is_refused_with_a_message(client, ward, helper, other_helper):
    proposal = propose(ward, helper)
    client.force_login(other_helper)
    url = f"/groups/{ward.slug}/proposals/{proposal.pk}/"

    refused = client.post(f"{url}position/", {"stance": "block"}, follow=True)
    assert "needs a reason" in refused.content.decode()
    assert not Position.objects.exists()

    client.post(f"{url}position/", {"stance": "block", "reason": "Not this winter"})
    client.post(f"{url}position/", {"stance": "abstain"})
    page = client.get(url).content.decode()
    assert Position.objects.get().stance == "abstain"
    assert "You said: Abstain." in page


def test_only_the_author_edits_and_versions_are_shown(client, ward, helper, other_helper):
    proposal = propose(ward, helper, title="Freezer", text="A chest freezer.")
    url = f"/groups/{ward.slug}/proposals/{proposal.pk}/"

    client.force_login(other_helper)
    assert client.get(f"{url}edit/").status_code == 302
    client.post(f"{url}edit/", {"title": "Mine now", "text": "Ha"})
    client.force_login(helper)
    client.post(f"{url}edit/", {"title": "Freezer", "text": "A small chest freezer."})

    versions = client.get(f"{url}versions/").content.decode()
    assert "A chest freezer." in versions and "A small chest freezer." in versions
    assert "Mine now" not in versions
    assert "version 2: see every version" in client.get(url).content.decode()


def test_the_member_a_removal_is_about_is_told_how_to_answer(client, ward, helper, other_helper):
    proposal = propose(ward, helper, "remove-member", subject=other_helper)
    client.force_login(other_helper)

    page = client.get(f"/groups/{ward.slug}/proposals/{proposal.pk}/").content.decode()

    assert "This proposal is about you" in page
    assert 'name="stance"' not in page
    assert f'action="/groups/{ward.slug}/proposals/{proposal.pk}/comment/"' in page


def test_amending_starts_from_the_current_text(client, scene, helper):
    client.force_login(helper)
    url = f"/groups/{scene['slug']}/proposals/new/agreement/?agreement={scene['agreement_id']}"

    html = client.get(url).content.decode()

    assert "In pairs." in html
    assert 'value="Safer visits"' in html


def test_unknown_kinds_and_other_groups_proposals_are_404(client, scene, helper):
    other = Group.objects.create(name="Elsewhere", slug="elsewhere")
    Membership.objects.create(group=other, user=helper)
    client.force_login(helper)

    assert client.get(f"/groups/{scene['slug']}/proposals/new/spend/").status_code == 404
    assert client.get(f"/groups/elsewhere/proposals/{scene['proposal_id']}/").status_code == 404
    assert client.get("/groups/nowhere/roles/").status_code == 404


def test_the_group_page_links_to_how_it_decides(client, ward, helper, outsider):
    client.force_login(outsider)
    outside = client.get(f"/groups/{ward.slug}/").content.decode()
    client.force_login(helper)
    inside = client.get(f"/groups/{ward.slug}/").content.decode()

    assert f"/groups/{ward.slug}/agreements/" in outside
    assert f"/groups/{ward.slug}/proposals/" not in outside
    for page in ("proposals", "roles", "history"):
        assert f"/groups/{ward.slug}/{page}/" in inside


def test_trust_through_the_roles_page(client, ward, helper, other_helper, dispatcher):
    client.force_login(helper)
    client.post(
        f"/groups/{ward.slug}/roles/trust/", {"receiver": dispatcher.pk, "role": "welcomer"}
    )
    client.force_login(other_helper)
    response = client.post(
        f"/groups/{ward.slug}/roles/trust/",
        {"receiver": dispatcher.pk, "role": "welcomer"},
        follow=True,
    )
    assert "You trust" in response.content.decode()
    assert "as Welcomer: 2 of 3" in response.content.decode()

    refused = client.post(
        f"/groups/{ward.slug}/roles/trust/",
        {"receiver": dispatcher.pk, "role": "treasurer"},
        follow=True,
    )
    assert "only a decision gives the role Treasurer" in refused.content.decode()

    client.force_login(member_of(ward, "ana"))
    last = client.post(
        f"/groups/{ward.slug}/roles/trust/",
        {"receiver": dispatcher.pk, "role": "welcomer"},
        follow=True,
    )
    assert "now holds the role Welcomer" in last.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_proposals_list_takes_a_fixed_number_of_queries(
    client, ward, helper, other_helper, dispatcher
):
    client.force_login(helper)
    url = f"/groups/{ward.slug}/proposals/"

    def add(count: int) -> None:
        for i in range(count):
            proposal = propose(ward, helper, title=f"Open {i}")
            agree(proposal, helper, other_helper)
            closed = propose(ward, other_helper, title=f"Closed {i}")
            decide(closed)

    add(2)
    few = _queries(client, url)
    add(12)
    many = _queries(client, url)

    assert many == few
    assert few <= 12
