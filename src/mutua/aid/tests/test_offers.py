"""Offers: what members can give, and only their maker withdrawing them."""

from __future__ import annotations

from typing import Any

import pytest

from mutua.aid import selectors, services
from mutua.aid.models import Offer, OfferKind
from mutua.core.categories import Category
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.core.tests.factories import make_ask

pytestmark = pytest.mark.django_db


def offer(member, **overrides: Any) -> Offer:
    fields: dict[str, Any] = {
        "kind": OfferKind.TIME,
        "category": Category.MEALS,
        "what": "I can cook for two on Sundays",
    }
    fields.update(overrides)
    return services.create_offer(member=member, **fields)


def test_an_offer_is_saved_and_listed(helper, ward):
    made = offer(helper, what="  A van for moves, weekends  ", kind=OfferKind.THING, group=ward)

    made = Offer.objects.get(pk=made.pk)
    assert made.what == "A van for moves, weekends"
    assert (made.member, made.group, made.kind, made.active) == (helper, ward, "thing", True)
    assert list(selectors.active_offers()) == [made]
    assert list(selectors.active_offers(category=Category.MEALS)) == [made]
    assert list(selectors.active_offers(category=Category.PETS)) == []
    assert list(selectors.offers_of(helper)) == [made]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"what": ""}, "what", id="empty what"),
        pytest.param({"what": " \n "}, "what", id="blank what"),
        pytest.param({"what": "x" * 501}, "what", id="oversized what"),
        pytest.param({"what": "soup\x00"}, "what", id="NUL in what"),
        pytest.param({"kind": "money"}, "kind", id="unknown kind"),
        pytest.param({"kind": ""}, "kind", id="empty kind"),
        pytest.param({"category": "gardening"}, "category", id="unknown category"),
    ],
)
def test_bad_offers_are_refused_and_nothing_is_saved(helper, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        offer(helper, **overrides)
    assert refused.value.field == field
    assert refused.value.message
    assert not Offer.objects.exists()


def test_what_at_the_limit_is_accepted(helper):
    assert len(offer(helper, what="x" * 500).what) == 500


def test_only_the_maker_can_withdraw_an_offer(helper, other_helper):
    made = offer(helper)

    with pytest.raises(NotAllowed, match="Only the member who made this offer"):
        services.withdraw_offer(offer=made, member=other_helper)
    assert Offer.objects.get(pk=made.pk).active is True

    services.withdraw_offer(offer=made, member=helper)
    assert Offer.objects.get(pk=made.pk).active is False
    assert list(selectors.active_offers()) == []
    # Still in the maker's own list, marked as withdrawn.
    assert list(selectors.offers_of(helper)) == [made]


def test_the_same_person_can_ask_and_offer(asker):
    their_offer = offer(asker)
    their_ask = make_ask(asker=asker)
    assert list(selectors.offers_of(asker)) == [their_offer]
    assert list(selectors.asks_of(asker)) == [their_ask]
