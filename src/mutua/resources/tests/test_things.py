"""The lending library: lending, borrowing until a date, returning, who has what now
(members only), and reminders when a thing is due back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.conftest import login
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.tests.factories import hold_role
from mutua.people.services import issue_token
from mutua.resources.models import Loan
from mutua.resources.services import stock as stock_services
from mutua.resources.services import things as services


def _in(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def ladder(ward, onlooker):
    return services.add_thing(group=ward, by=onlooker, name="Ladder (3 m)")


def test_one_borrower_at_a_time_until_it_is_back(ward, ladder, onlooker, neighbour, treasurer):
    services.borrow(group=ward, thing_id=ladder.pk, member=neighbour, due_on=_in(7))
    with pytest.raises(Conflict, match="Someone has it"):
        services.borrow(group=ward, thing_id=ladder.pk, member=treasurer, due_on=_in(7))
    with pytest.raises(NotAllowed):
        services.return_thing(group=ward, thing_id=ladder.pk, by=treasurer)
    services.return_thing(group=ward, thing_id=ladder.pk, by=onlooker)  # the owner says so
    services.borrow(group=ward, thing_id=ladder.pk, member=treasurer, due_on=_in(3))
    assert Loan.objects.filter(thing=ladder, returned_at__isnull=True).get().borrower == treasurer


def test_a_loan_checks_its_dates_and_who_borrows(ward, ladder, onlooker, neighbour, outsider):
    with pytest.raises(InvalidInput):
        services.borrow(group=ward, thing_id=ladder.pk, member=neighbour, due_on=_in(-1))
    with pytest.raises(InvalidInput):
        services.borrow(group=ward, thing_id=ladder.pk, member=neighbour, due_on=_in(200))
    with pytest.raises(InvalidInput, match="your own"):
        services.borrow(group=ward, thing_id=ladder.pk, member=onlooker, due_on=_in(2))
    with pytest.raises(NotAllowed):
        services.borrow(group=ward, thing_id=ladder.pk, member=outsider, due_on=_in(2))


def test_a_hubs_things_are_added_by_stock_keepers(ward, onlooker, treasurer):
    hold_role(ward, treasurer, "stock-keeper")
    hub = stock_services.create_hub(group=ward, by=treasurer, name="Pantry")
    with pytest.raises(NotAllowed):
        services.add_thing(group=ward, by=onlooker, name="Wheelchair", hub_id=hub.pk)
    chair = services.add_thing(group=ward, by=treasurer, name="Wheelchair", hub_id=hub.pk)
    assert chair.owner is None and chair.hub == hub


def test_the_borrower_is_reminded_once_the_day_before(
    ward, ladder, neighbour, django_capture_on_commit_callbacks
):
    from mutua.notify.models import Message

    services.borrow(group=ward, thing_id=ladder.pk, member=neighbour, due_on=_in(3))
    assert services.remind_due() == 0
    later = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_due(now=later) == 1
        assert services.remind_due(now=later) == 0
    message = Message.objects.get(key__startswith="loan-due:")
    assert message.user == neighbour and "Ladder" in message.subject


def test_the_page_shows_who_has_what_to_members_only(client, ward, ladder, neighbour, outsider):
    page = f"/groups/{ward.slug}/things/"
    login(client, neighbour)
    borrowed = client.post(f"{page}{ladder.pk}/borrow/", {"due_on": _in(5).isoformat()})
    assert borrowed.status_code == 302
    html = client.get(page).content.decode()
    assert "Nadia Quill has it until" in html and "It is back" in html
    added = client.post(page, {"name": "Car seat", "description": "Group 1"})
    assert added.status_code == 302
    assert client.post(page, {"name": ""}).status_code == 400
    client.post(f"{page}{ladder.pk}/return/")
    assert "Free to borrow" in client.get(page).content.decode()

    login(client, outsider)
    assert client.get(page).status_code == 403
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=outsider)}"}
    assert client.get(f"/api/v1/groups/{ward.slug}/things", **auth).status_code == 403


def test_things_through_the_api(client, ward, onlooker, neighbour):
    base = f"/api/v1/groups/{ward.slug}/things"
    lender = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=onlooker)}"}
    borrower = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=neighbour)}"}
    made = client.post(base, {"name": "Drill"}, content_type="application/json", **lender)
    assert made.status_code == 201 and made.json()["lent_by"]
    thing_id = made.json()["id"]
    due = _in(4).isoformat()
    taken = client.post(
        f"{base}/{thing_id}/borrow", {"due_on": due}, content_type="application/json", **borrower
    )
    assert taken.status_code == 200
    assert (taken.json()["borrower"], taken.json()["due_on"]) == ("Nadia Quill", due)
    again = client.post(
        f"{base}/{thing_id}/borrow", {"due_on": due}, content_type="application/json", **lender
    )
    assert again.status_code == 400 and "detail" in again.json()  # their own
    back = client.post(f"{base}/{thing_id}/return", **borrower)
    assert back.status_code == 200 and back.json()["borrower"] is None
    assert client.post(f"{base}/{thing_id}/return", **borrower).status_code == 409


def test_erasure_takes_a_members_own_things_out_of_the_library(ward, ladder, onlooker):
    from mutua.privacy import services as privacy_services

    privacy_services.erase_account(user=onlooker, confirm_email=onlooker.email)
    ladder.refresh_from_db()
    assert ladder.withdrawn_at is not None
