"""Reports go to the group's safeguarding role; blocked members are never matched."""

from __future__ import annotations

import pytest
from django.test import Client

from mutua.aid.models import Offer
from mutua.core.tests.factories import OfferFactory, make_ask
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.matching.services import run_dispatch
from mutua.matching.tests.db_people import FURTHER, NEAR, new_member
from mutua.privacy.models import Block, Report


def _report(client: Client, kind: str, pk: int, why: str = "They asked for my bank card."):
    return client.post(f"/report/{kind}/{pk}/", {"why": why, "next": "/board/"})


def test_anyone_can_report_an_ask_offer_or_member_and_the_role_reads_it(
    client, planted, ward, helper, other_helper, guardian
):
    offer = OfferFactory.create(member=other_helper, group=ward, what="Free lifts")

    assert _report(Client(), "ask", planted.pk).status_code == 302
    client.force_login(helper)
    assert _report(client, "offer", offer.pk, "Asked for cash up front.").status_code == 302
    assert _report(client, "member", other_helper.pk, "Shouted at a neighbour.").status_code == 302

    assert [r.kind for r in Report.objects.order_by("pk")] == ["ask", "offer", "member"]
    assert {r.group for r in Report.objects.all()} == {ward}
    assert Report.objects.get(kind="ask").reporter is None
    reader = Client()
    reader.force_login(guardian)
    body = reader.get(f"/groups/{ward.slug}/reports/").content.decode()
    assert "bank card" in body and "cash up front" in body and "Shouted" in body


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "other_helper", "helper"])
def test_only_the_safeguarding_role_reads_reports(request, viewer, planted, ward):
    _report(Client(), "ask", planted.pk, "Something is wrong here.")
    client = Client()
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))

    response = client.get(f"/groups/{ward.slug}/reports/")

    assert response.status_code in (302, 403)
    assert "Something is wrong here" not in response.content.decode()


def test_a_report_needs_words_and_a_real_subject(client, planted):
    response = _report(client, "ask", planted.pk, why="   ")
    assert response.status_code == 400
    assert _report(client, "cat", planted.pk).status_code == 404
    assert _report(client, "offer", 999999).status_code == 404
    assert not Report.objects.exists()
    assert not Offer.objects.exists()


def test_blocked_members_are_never_matched_either_way(ward):
    asking = new_member(ward, "Asking", home=FURTHER)
    blocked = new_member(ward, "Blocked", home=NEAR)
    ask = make_ask(asker=asking)
    client = Client()
    client.force_login(asking)
    assert client.post(f"/members/{blocked.pk}/block/").status_code == 302
    assert Block.objects.filter(blocker=asking, blocked=blocked).exists()

    run_dispatch(groups=[ward])
    assert not Suggestion.objects.filter(ask=ask, helper=blocked).exists()

    # The block holds the other way round too: the blocked member's ask never goes to them.
    their_ask = make_ask(asker=blocked)
    run_dispatch(groups=[ward])
    assert not Suggestion.objects.filter(ask=their_ask, helper=asking).exists()

    client.post(f"/members/{blocked.pk}/unblock/")
    Suggestion.objects.update(status=SuggestionStatus.EXPIRED)
    run_dispatch(groups=[ward])
    assert Suggestion.objects.filter(ask=ask, helper=blocked, status="pending").exists()


def test_a_member_cannot_block_themselves(client, helper):
    client.force_login(helper)
    client.post(f"/members/{helper.pk}/block/")
    assert not Block.objects.exists()


def test_the_ask_page_offers_a_report_link(client, planted):
    body = client.get(f"/asks/{planted.pk}/").content.decode()

    assert f'href="/report/ask/{planted.pk}/?next=/asks/{planted.pk}/"' in body
