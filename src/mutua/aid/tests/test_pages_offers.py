"""Offers: the list, the form and withdrawing."""

from __future__ import annotations

import pytest

from mutua.aid.models import Offer, OfferKind
from mutua.core.categories import Category
from mutua.core.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_offers_list_shows_active_offers_with_a_category_filter(client, helper, outsider):
    shopping = OfferFactory(member=helper, category=Category.GROCERIES, what="I shop on Saturdays")
    lifts = OfferFactory(member=outsider, category=Category.TRANSPORT, what="Lifts to the clinic")
    OfferFactory(member=helper, what="An old offer", active=False)

    everything = client.get("/offers/").content.decode()
    transport = client.get("/offers/", {"category": "transport"}).content.decode()

    assert shopping.what in everything and lifts.what in everything
    assert "An old offer" not in everything
    assert lifts.what in transport and shopping.what not in transport


def test_offer_form_needs_an_account(client):
    response = client.get("/offers/new/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/offers/new/"


def test_member_offers_something_and_sees_it_listed(client, helper, ward):
    client.force_login(helper)
    form = client.get("/offers/new/").content.decode()
    assert ward.name in form  # their group is a choice

    response = client.post(
        "/offers/new/",
        {"kind": "time", "category": "pets", "what": "Dog walks on weekdays", "group": ward.pk},
        follow=True,
    )

    offer = Offer.objects.get()
    assert (offer.member, offer.kind, offer.category, offer.group) == (
        helper,
        OfferKind.TIME,
        Category.PETS,
        ward,
    )
    assert "Dog walks on weekdays" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "time", "category": "pets", "what": ""}, "what"),
        ({"kind": "time", "category": "pets", "what": "x" * 501}, "what"),
        ({"kind": "money-tree", "category": "pets", "what": "Walks"}, "kind"),
        ({"kind": "time", "category": "unicorns", "what": "Walks"}, "category"),
    ],
)
def test_bad_offer_is_refused_with_a_form_error(client, helper, data, field):
    client.force_login(helper)

    response = client.post("/offers/new/", data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Offer.objects.count() == 0


def test_a_group_one_is_not_in_cannot_be_chosen(client, outsider, ward):
    client.force_login(outsider)

    response = client.post(
        "/offers/new/", {"kind": "time", "category": "pets", "what": "Walks", "group": ward.pk}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["group"]
    assert Offer.objects.count() == 0


def test_member_withdraws_their_offer(client, helper):
    offer = OfferFactory(member=helper, what="Spare cot to lend")
    client.force_login(helper)
    assert "Withdraw" in client.get("/offers/").content.decode()

    response = client.post(f"/offers/{offer.pk}/withdraw/", follow=True)

    offer.refresh_from_db()
    assert offer.active is False
    assert "Spare cot to lend" not in response.content.decode()
    assert "Your offer is withdrawn." in response.content.decode()


def test_nobody_else_can_withdraw_an_offer(client, helper, outsider):
    offer = OfferFactory(member=helper)
    client.force_login(outsider)
    assert "Withdraw" not in client.get("/offers/").content.decode()

    response = client.post(f"/offers/{offer.pk}/withdraw/", follow=True)

    offer.refresh_from_db()
    assert offer.active is True
    assert "Only the member who made this offer can withdraw it." in response.content.decode()


def test_withdrawing_needs_an_account(client, helper):
    offer = OfferFactory(member=helper)

    response = client.post(f"/offers/{offer.pk}/withdraw/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    offer.refresh_from_db()
    assert offer.active is True


def test_others_can_report_a_worry_about_an_offer_from_the_list(client, outsider):
    offer = OfferFactory.create(what="Lifts to the hospital")

    html = client.get("/offers/").content.decode()

    assert f'href="/report/offer/{offer.pk}/?next=' in html
    client.force_login(offer.member)
    assert f"/report/offer/{offer.pk}/" not in client.get("/offers/").content.decode()


@pytest.mark.parametrize("back", ["-1", "2020-13-45", "offers"])
def test_a_next_that_is_not_a_path_goes_back_to_the_default_page(client, helper, back):
    # redirect() reads a bare word as the name of a view: "-1" was a 500 after the change.
    offer = OfferFactory(member=helper)
    client.force_login(helper)

    response = client.post(f"/offers/{offer.pk}/withdraw/", {"next": back})

    assert response.status_code == 302
    assert response["Location"].startswith("/")
    offer.refresh_from_db()
    assert offer.active is False
