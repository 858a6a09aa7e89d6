"""Offers and claims through the API, and walking long lists page by page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mutua.aid.models import Offer
from mutua.aid.services import claim_ask, create_offer, release_ask
from mutua.core.tests.factories import make_ask, make_group
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


def post(client: Client, url: str, body: Any, user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def walk(client: Client, url: str, **headers: str) -> list[list[Any]]:
    """Every page of a list, following `next`."""
    pages = []
    cursor = None
    while True:
        joiner = "&" if "?" in url else "?"
        page = client.get(url + (f"{joiner}cursor={cursor}" if cursor else ""), headers=headers)
        assert page.status_code == 200, page.content
        pages.append(page.json()["items"])
        cursor = page.json()["next"]
        if cursor is None:
            return pages


def test_a_member_offers_something_for_their_group_and_withdraws_it(client, ward, helper):
    created = post(
        client,
        "/api/v1/offers",
        {"kind": "time", "category": "groceries", "what": "Saturday shop", "group": ward.slug},
        helper,
    )

    assert created.status_code == 201, created.content
    offer = created.json()
    assert offer["group"] == ward.slug and offer["member"] == helper.display_name
    assert "@" not in json.dumps(offer)
    withdrawn = client.post(f"/api/v1/offers/{offer['id']}/withdraw", headers=bearer(helper))
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    assert client.get("/api/v1/offers").json()["items"] == []
    assert client.get(f"/api/v1/offers/{offer['id']}").json()["active"] is False


def test_offers_are_refused_for_a_group_one_is_not_in_or_that_does_not_exist(
    client, ward, outsider
):
    body = {"kind": "skill", "category": "repairs", "what": "Shelves", "group": ward.slug}

    not_member = post(client, "/api/v1/offers", body, outsider)
    no_group = post(client, "/api/v1/offers", {**body, "group": "atlantis"}, outsider)
    bad_category = post(
        client, "/api/v1/offers", {**body, "group": None, "category": "x"}, outsider
    )

    assert not_member.status_code == 403
    assert no_group.status_code == 400 and no_group.json()["field"] == "group"
    assert (
        bad_category.status_code == 400 and "Unknown kind of help" in bad_category.json()["detail"]
    )
    assert not Offer.objects.exists()


def test_only_the_member_who_offered_may_withdraw(client, ward, helper, other_helper):
    offer = create_offer(member=helper, kind="thing", category="childcare", what="A cot")

    refused = client.post(f"/api/v1/offers/{offer.pk}/withdraw", headers=bearer(other_helper))

    assert refused.status_code == 403
    offer.refresh_from_db()
    assert offer.active


def test_offers_filter_by_category_kind_and_group(client, ward, helper, other_helper):
    create_offer(member=helper, kind="time", category="groceries", what="Shop", group=ward)
    create_offer(member=helper, kind="thing", category="childcare", what="Cot")
    create_offer(member=other_helper, kind="time", category="pets", what="Dogs", group=ward)

    def whats(query: str) -> list[str]:
        return [o["what"] for o in client.get(f"/api/v1/offers?{query}").json()["items"]]

    assert whats("") == ["Dogs", "Cot", "Shop"]
    assert whats("kind=time") == ["Dogs", "Shop"]
    assert whats(f"group={ward.slug}&category=groceries") == ["Shop"]
    assert client.get("/api/v1/offers?category=spaceships").status_code == 400
    assert client.get("/api/v1/offers?kind=money").status_code == 422


def test_pages_cover_a_list_once_even_while_it_grows(client, ward, helper):
    for n in range(7):
        create_offer(member=helper, kind="time", category="meals", what=f"Soup {n}")
    first = client.get("/api/v1/offers?limit=3").json()
    create_offer(member=helper, kind="time", category="meals", what="Added meanwhile")

    rest = walk(client, f"/api/v1/offers?limit=3&cursor={first['next']}")

    seen = [o["what"] for o in first["items"]] + [o["what"] for page in rest for o in page]
    assert seen == [f"Soup {n}" for n in range(6, -1, -1)]
    assert [len(page) for page in rest] == [3, 1]


@pytest.mark.parametrize("cursor", ["nonsense", "YWZ0ZXI6LTE", "🙂", "YWZ0ZXI6MTIz" + "A" * 40])
def test_a_cursor_we_did_not_issue_is_refused(client, cursor):
    response = client.get(f"/api/v1/offers?cursor={cursor}")

    assert response.status_code in (400, 422)
    assert isinstance(response.json()["detail"], str)


def test_my_claims_list_what_i_took_with_the_public_view_only(client, ward, helper, other_helper):
    kept, given_back, someone_elses = make_ask(), make_ask(), make_ask()
    claim_ask(ask=kept, helper=helper)
    claim_ask(ask=given_back, helper=helper)
    release_ask(ask=given_back, helper=helper)
    claim_ask(ask=someone_elses, helper=other_helper)
    token = bearer(helper)

    claims = client.get("/api/v1/claims", headers=token).json()["items"]
    active = client.get("/api/v1/claims?outcome=active", headers=token).json()["items"]

    assert [(c["ask"]["id"], c["outcome"]) for c in claims] == [
        (given_back.pk, "released"),
        (kept.pk, "active"),
    ]
    assert [c["ask"]["id"] for c in active] == [kept.pk]
    assert "contact" not in claims[0]["ask"] and "+44" not in json.dumps(claims)
    assert client.get("/api/v1/claims").status_code == 401


def test_offers_of_another_group_stay_out_of_a_group_filter(client, ward, helper):
    other = make_group(name="Croydon", center=(51.3762, -0.0982))
    create_offer(member=helper, kind="time", category="meals", what="Far", group=other)

    assert client.get(f"/api/v1/offers?group={ward.slug}").json()["items"] == []
