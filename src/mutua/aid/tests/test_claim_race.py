"""Many helpers press "claim" on one ask at once: exactly one gets it, the rest are told."""

from __future__ import annotations

import threading
from typing import cast

import pytest
from django.db import connection

from mutua.aid import selectors, services
from mutua.aid.models import Ask, AskEvent, AskStatus, Claim, ClaimOutcome
from mutua.core.errors import Conflict, InvalidTransition
from mutua.core.tests.factories import UserFactory, make_ask, make_group, trusted
from mutua.people.models import User

CLAIMANTS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_claims_by_trusted_members_give_exactly_one_winner():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite lets one writer in at a time, so threads cannot race "
            "there (the conditional UPDATE that decides the winner is the same code)"
        )
    ward = make_group()
    ask = make_ask()
    # Members the ward trusts with its asks: the race is between people allowed to win.
    helpers = [trusted(ward, cast(User, UserFactory())) for _ in range(CLAIMANTS)]
    barrier = threading.Barrier(CLAIMANTS, timeout=30)
    outcomes: dict[int, str] = {}
    lock = threading.Lock()

    def press_claim(helper_id: int) -> None:
        try:
            # Each thread loads its own copy, as each request would, before the start line.
            mine = Ask.objects.get(pk=ask.pk)
            helper = next(h for h in helpers if h.pk == helper_id)
            barrier.wait()
            try:
                services.claim_ask(ask=mine, helper=helper)
                result = "won"
            except Conflict as refused:
                result = f"{type(refused).__name__}: {refused.message}"
            except Exception as crash:  # reported below, so a crash fails the test by name
                result = f"crash {type(crash).__name__}: {crash}"
            with lock:
                outcomes[helper_id] = result
        finally:
            connection.close()

    threads = [threading.Thread(target=press_claim, args=(h.pk,)) for h in helpers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == CLAIMANTS, "some threads never reported"
    winners = [pk for pk, result in outcomes.items() if result == "won"]
    refusals = [result for result in outcomes.values() if result != "won"]
    assert len(winners) == 1, outcomes
    assert refusals == [
        f"{InvalidTransition.__name__}: Someone else has already taken this ask."
    ] * (CLAIMANTS - 1)
    ask.refresh_from_db()
    assert ask.status == AskStatus.CLAIMED
    active = Claim.objects.filter(ask=ask, outcome=ClaimOutcome.ACTIVE)
    assert list(active.values_list("helper_id", flat=True)) == winners
    assert Claim.objects.filter(ask=ask).count() == 1
    assert AskEvent.objects.filter(ask=ask, kind=AskEvent.Kind.CLAIMED).count() == 1
    assert selectors.active_helper_id(ask) == winners[0]


@pytest.mark.django_db
def test_a_copy_loaded_before_someone_else_claimed_cannot_claim(helper, other_helper):
    ask = make_ask()
    stale = Ask.objects.get(pk=ask.pk)
    services.claim_ask(ask=Ask.objects.get(pk=ask.pk), helper=other_helper)
    assert stale.status == AskStatus.OPEN  # the copy still believes it is free

    with pytest.raises(Conflict, match="Someone else has already taken this ask"):
        services.claim_ask(ask=stale, helper=helper)

    assert stale.status == AskStatus.CLAIMED
    assert Claim.objects.filter(ask=ask).count() == 1
    assert selectors.active_helper_id(ask) == other_helper.pk


@pytest.mark.django_db
def test_a_copy_loaded_while_claimed_can_claim_once_released(helper, other_helper):
    ask = make_ask()
    services.claim_ask(ask=ask, helper=other_helper)
    stale = Ask.objects.get(pk=ask.pk)
    services.release_ask(ask=Ask.objects.get(pk=ask.pk), helper=other_helper)
    assert stale.status == AskStatus.CLAIMED

    services.claim_ask(ask=stale, helper=helper)

    assert selectors.active_helper_id(ask) == helper.pk
    assert Claim.objects.filter(ask=ask, outcome=ClaimOutcome.ACTIVE).count() == 1
