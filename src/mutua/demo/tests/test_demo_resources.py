"""The demo ward holds a ledger with entries, a hub with stock, weekly shifts, things to
borrow and a past callout, and each page shows them to the demo login."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from mutua.demo import network as demo
from mutua.groups.models import Group, GroupKind
from mutua.notify.models import Message
from mutua.people.models import User
from mutua.resources.models import Callout, Loan, Shift, StockMovement, Thing, Transfer
from mutua.resources.selectors import stock as stock_selectors

pytestmark = pytest.mark.django_db


def test_the_demo_ward_shows_what_it_holds_together():
    call_command("demo", "--size", "tiny", stdout=StringIO(), stderr=StringIO())
    user = User.objects.get(email=demo.DEMO_EMAIL)
    ward = Group.objects.get(memberships__user=user, kind=GroupKind.WARD)

    assert Transfer.objects.filter(group=ward).count() == 5
    levels = {
        lv.item.name: lv.quantity for hub in stock_selectors.stock(user, ward) for lv in hub.levels
    }
    assert levels["Tinned tomatoes"] == 18 and levels["Bread"] == 6
    assert StockMovement.objects.filter(group=ward, kind="recovered", use_by__isnull=False).exists()
    assert Shift.objects.filter(group=ward).count() == 2
    assert Thing.objects.filter(group=ward).count() == 4
    assert Loan.objects.filter(borrower=user, returned_at__isnull=True).exists()
    callout = Callout.objects.get(group=ward)
    assert callout.closed_at is not None and callout.answers.count() > 0
    # Nobody is told of made-up callouts, stock or loans.
    assert not Message.objects.exists()

    client = Client()
    assert client.login(email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD)
    pages = {
        "ledger": "Street collection",
        "stock": "Community pantry",
        "shifts": "Breakfast club",
        "things": "Ladder",
        "callouts": "Eviction defence",
    }
    for page, shown in pages.items():
        response = client.get(f"/groups/{ward.slug}/{page}/")
        assert response.status_code == 200 and shown in response.content.decode(), page
