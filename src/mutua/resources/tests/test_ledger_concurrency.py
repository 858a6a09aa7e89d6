"""Many treasurers' writes at once on PostgreSQL: the kept balance is the sum of the
entries, and money out never overspends."""

from __future__ import annotations

import threading
from typing import cast

import pytest
from django.db import connection

from mutua.core.errors import Conflict
from mutua.core.tests.factories import UserFactory, hold_role, make_group
from mutua.groups import services as group_services
from mutua.people.models import User
from mutua.resources import selectors
from mutua.resources.models import Transfer
from mutua.resources.services.ledger import record_transfer, reverse_transfer

WRITERS = 24


@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_keep_the_balance_equal_to_the_sum_of_entries():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer in at a time")
    ward = make_group()
    keepers: list[User] = []
    for _ in range(3):
        user = cast(User, UserFactory())
        group_services.join_group(group=ward, user=user)
        hold_role(ward, user, "treasurer")
        keepers.append(user)
    first = record_transfer(group=ward, by=keepers[0], kind="donation", amount=1000, memo="Seed")
    barrier = threading.Barrier(WRITERS, timeout=30)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        try:
            barrier.wait()
            try:
                if n % 3 == 0:
                    record_transfer(group=ward, by=keepers[0], kind="dues", amount=100, memo="In")
                elif n == 1:
                    reverse_transfer(group=ward, transfer_id=first.pk, by=keepers[1])
                else:
                    record_transfer(
                        group=ward, by=keepers[n % 3], kind="purchase", amount=300, memo="Out"
                    )
                result = "ok"
            except Conflict:
                result = "refused"
            except Exception as crash:
                result = f"crash {type(crash).__name__}: {crash}"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == WRITERS and not [o for o in outcomes if o.startswith("crash")]
    funds = selectors.funds(ward).balance
    assert funds == selectors.sum_of_funds_entries(ward)
    assert funds >= 0
    assert "refused" in outcomes  # 1000 + 8 x 100 cannot pay for 15 x 300
    assert Transfer.objects.filter(group=ward).count() == 1 + outcomes.count("ok")
