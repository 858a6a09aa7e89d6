"""Money asks: private to the asker and the treasurer, paid within the group's limit or
by a decision of the group (a governance effect registered by resources)."""

from __future__ import annotations

import pytest

from mutua.conftest import login
from mutua.core.errors import Conflict, NotAllowed
from mutua.governance.models import EffectProblem, LogEntry, LogKind, ProposalStatus
from mutua.governance.tests.factories import agree, decide, set_rules
from mutua.privacy import services as privacy_services
from mutua.resources import selectors
from mutua.resources.models import MoneyAsk, MoneyAskStatus, Transfer, TransferKind
from mutua.resources.services import money_asks
from mutua.resources.services.ledger import record_transfer


@pytest.fixture
def funded(ward, treasurer):
    record_transfer(group=ward, by=treasurer, kind="donation", amount=20_000, memo="Appeal")
    return ward


def _ask(group, asker, amount=3000, reason="Rent is short after the boiler broke"):
    return money_asks.ask_for_money(group=group, asker=asker, amount=amount, reason=reason)


def test_members_see_the_pseudonym_only_the_treasurer_and_asker_see_who(
    client, funded, treasurer, neighbour, onlooker
):
    ask = _ask(funded, neighbour)
    set_rules(funded, money_ask_limit=5000)
    money_asks.pay_money_ask(group=funded, money_ask_id=ask.pk, by=treasurer)

    member_page = login(client, onlooker).get(f"/groups/{funded.slug}/ledger/").content.decode()
    assert ask.pseudonym in member_page
    assert "Nadia Quill" not in member_page and "boiler" not in member_page

    for viewer in (treasurer, neighbour):
        page = login(client, viewer).get(f"/groups/{funded.slug}/ledger/").content.decode()
        assert "Nadia Quill" in page and "boiler" in page

    payment = Transfer.objects.get(kind=TransferKind.PAYMENT)
    assert payment.memo == ask.pseudonym


def test_the_reason_is_encrypted_at_rest(funded, neighbour):
    from django.db import connection

    ask = _ask(funded, neighbour)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM resources_moneyask WHERE id = %s", [ask.pk])
        (stored,) = cursor.fetchone()
    assert "boiler" not in stored


def test_the_treasurer_pays_within_the_limit_per_member_in_30_days(funded, treasurer, neighbour):
    set_rules(funded, money_ask_limit=5000)
    first, second = _ask(funded, neighbour, 3000), _ask(funded, neighbour, 2500)

    money_asks.pay_money_ask(group=funded, money_ask_id=first.pk, by=treasurer)
    with pytest.raises(Conflict, match="Put it to the group"):
        money_asks.pay_money_ask(group=funded, money_ask_id=second.pk, by=treasurer)

    second.refresh_from_db()
    assert second.status == MoneyAskStatus.WAITING
    assert selectors.funds(funded).balance == 17_000


def test_with_the_default_limit_every_money_ask_goes_to_the_group(funded, treasurer, neighbour):
    ask = _ask(funded, neighbour, 1)
    with pytest.raises(Conflict):
        money_asks.pay_money_ask(group=funded, money_ask_id=ask.pk, by=treasurer)


def test_a_passed_proposal_pays_it_without_naming_the_asker(funded, treasurer, neighbour, onlooker):
    ask = _ask(funded, neighbour, 12_000)
    proposal = money_asks.propose_payment(group=funded, money_ask_id=ask.pk, by=treasurer)
    assert "Nadia" not in proposal.title + proposal.text and ask.pseudonym in proposal.title
    assert proposal.author == treasurer

    agree(proposal, treasurer, neighbour, onlooker)
    assert decide(proposal).status == ProposalStatus.PASSED

    ask.refresh_from_db()
    assert ask.status == MoneyAskStatus.PAID
    assert ask.transfer.proposal_id == proposal.pk and ask.transfer.recorded_by is None
    assert selectors.funds(funded).balance == 8000 == selectors.sum_of_funds_entries(funded)


def test_a_decision_the_funds_cannot_meet_is_recorded_as_not_carried_out(
    funded, treasurer, neighbour, onlooker
):
    ask = _ask(funded, neighbour, 15_000)
    proposal = money_asks.propose_payment(group=funded, money_ask_id=ask.pk, by=treasurer)
    record_transfer(group=funded, by=treasurer, kind="purchase", amount=10_000, memo="Van")
    agree(proposal, treasurer, neighbour, onlooker)

    assert decide(proposal).effect_problem == EffectProblem.REFUSED
    ask.refresh_from_db()
    assert ask.status == MoneyAskStatus.PROPOSED and ask.transfer is None
    entry = LogEntry.objects.get(proposal=proposal, kind=LogKind.EFFECT_FAILED)
    assert "funds were short" in entry.sentence()
    assert selectors.funds(funded).balance == 10_000
    # The treasurer can then close it.
    money_asks.decline_money_ask(group=funded, money_ask_id=ask.pk, by=treasurer)


def test_a_withdrawn_ask_is_not_paid_by_its_proposal(funded, treasurer, neighbour, onlooker):
    ask = _ask(funded, neighbour, 100)
    proposal = money_asks.propose_payment(group=funded, money_ask_id=ask.pk, by=treasurer)
    money_asks.withdraw_money_ask(group=funded, money_ask_id=ask.pk, by=neighbour)
    agree(proposal, treasurer, neighbour, onlooker)
    assert decide(proposal).effect_problem == EffectProblem.REFUSED
    assert not Transfer.objects.filter(kind=TransferKind.PAYMENT).exists()


def test_spend_proposals_are_not_offered_on_the_proposal_form(client, funded, onlooker):
    login(client, onlooker)
    assert "spend" not in client.get(f"/groups/{funded.slug}/proposals/new/").content.decode()
    assert client.get(f"/groups/{funded.slug}/proposals/new/spend/").status_code == 404


def test_only_a_named_treasurer_decides_and_never_their_own(
    funded, treasurer, neighbour, onlooker, ward
):
    set_rules(funded, money_ask_limit=100_000)
    theirs = _ask(funded, neighbour)
    with pytest.raises(NotAllowed):
        money_asks.pay_money_ask(group=funded, money_ask_id=theirs.pk, by=onlooker)
    own = _ask(funded, treasurer)
    with pytest.raises(NotAllowed, match="own money ask"):
        money_asks.pay_money_ask(group=funded, money_ask_id=own.pk, by=treasurer)


def test_with_no_treasurer_nobody_sees_who_asked(client, ward, neighbour, onlooker):
    ask = _ask(ward, neighbour)
    page = login(client, onlooker).get(f"/groups/{ward.slug}/ledger/").content.decode()
    assert ask.pseudonym in page and "Nadia Quill" not in page
    with pytest.raises(NotAllowed):
        money_asks.pay_money_ask(group=ward, money_ask_id=ask.pk, by=onlooker)


def test_asking_on_the_page(client, ward, neighbour):
    response = login(client, neighbour).post(
        f"/groups/{ward.slug}/ledger/money-asks/", {"amount": "25", "reason": "Gas top-up"}
    )
    assert response.status_code == 302
    ask = MoneyAsk.objects.get()
    assert (ask.amount, ask.asker, ask.reason) == (2500, neighbour, "Gas top-up")


def test_erasing_the_asker_wipes_the_reason_and_keeps_the_books(funded, treasurer, neighbour):
    set_rules(funded, money_ask_limit=5000)
    ask = _ask(funded, neighbour)
    money_asks.pay_money_ask(group=funded, money_ask_id=ask.pk, by=treasurer)
    privacy_services.erase_account(user=neighbour, confirm_email=neighbour.email)
    ask.refresh_from_db()
    assert ask.reason == "" and ask.status == MoneyAskStatus.PAID
    assert selectors.funds(funded).balance == 17_000


def test_the_treasurer_is_told_of_a_money_ask_without_the_name(
    funded, treasurer, neighbour, django_capture_on_commit_callbacks
):
    from mutua.notify.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        ask = _ask(funded, neighbour)
    told = Message.objects.get(user=treasurer)
    assert ask.pseudonym in told.subject + told.body
    assert "Nadia" not in told.body and "boiler" not in told.body
    assert not Message.objects.filter(user=neighbour).exists()
