"""The open ledger: double entry, balance = sum of entries, reversals, receipts, pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from mutua.conftest import login
from mutua.core.errors import Conflict, NotAllowed
from mutua.core.tests.factories import make_group
from mutua.resources import selectors
from mutua.resources.models import Entry, Transfer
from mutua.resources.services.ledger import record_transfer, reverse_transfer
from mutua.resources.tests.conftest import member

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _donate(group, by, amount=5000, memo="Street collection"):
    return record_transfer(group=group, by=by, kind="donation", amount=amount, memo=memo)


def test_each_transfer_is_two_entries_summing_to_zero_and_the_balance_follows(ward, treasurer):
    _donate(ward, treasurer, 5000)
    record_transfer(group=ward, by=treasurer, kind="purchase", amount=1250, memo="Nappies")

    for transfer in Transfer.objects.filter(group=ward):
        amounts = list(transfer.entries.values_list("amount", flat=True))
        assert len(amounts) == 2 and sum(amounts) == 0
    assert selectors.funds(ward).balance == 3750
    assert selectors.sum_of_funds_entries(ward) == 3750


def test_money_out_never_takes_the_funds_below_zero(ward, treasurer):
    _donate(ward, treasurer, 1000)
    with pytest.raises(Conflict, match=r"hold 10\.00 GBP"):
        record_transfer(group=ward, by=treasurer, kind="purchase", amount=1001, memo="Rice")
    assert Transfer.objects.filter(group=ward).count() == 1
    assert selectors.funds(ward).balance == 1000


def test_a_reversal_records_the_opposite_and_keeps_the_original(ward, treasurer):
    purchase_in = _donate(ward, treasurer, 4000)
    wrong = record_transfer(group=ward, by=treasurer, kind="purchase", amount=900, memo="Typo")

    reversal = reverse_transfer(group=ward, transfer_id=wrong.pk, by=treasurer)

    assert reversal.reverses_id == wrong.pk
    assert Transfer.objects.filter(pk=wrong.pk).exists()
    assert selectors.funds(ward).balance == 4000 == selectors.sum_of_funds_entries(ward)
    with pytest.raises(Conflict, match="already been reversed"):
        reverse_transfer(group=ward, transfer_id=wrong.pk, by=treasurer)
    with pytest.raises(Conflict, match="cannot be reversed"):
        reverse_transfer(group=ward, transfer_id=reversal.pk, by=treasurer)
    assert purchase_in.funds_change == 4000 and reversal.funds_change == 900


def test_reversing_money_in_that_was_spent_is_refused(ward, treasurer):
    donation = _donate(ward, treasurer, 1000)
    record_transfer(group=ward, by=treasurer, kind="purchase", amount=800, memo="Bread")
    with pytest.raises(Conflict):
        reverse_transfer(group=ward, transfer_id=donation.pk, by=treasurer)


def test_while_a_treasurer_serves_other_members_only_read(ward, treasurer, onlooker):
    with pytest.raises(NotAllowed):
        _donate(ward, onlooker)


def test_with_no_treasurer_any_member_keeps_the_books_but_no_outsider(ward, onlooker, outsider):
    _donate(ward, onlooker, 700)
    with pytest.raises(NotAllowed):
        _donate(ward, outsider)
    assert selectors.funds(ward).balance == 700


def test_members_see_the_page_with_balance_and_every_entry(client, ward, treasurer, onlooker):
    _donate(ward, treasurer, 5000, memo="Jumble sale")
    response = login(client, onlooker).get(f"/groups/{ward.slug}/ledger/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "50.00 GBP" in page and "Jumble sale" in page
    assert "Record money in or out" not in page  # a treasurer serves


def test_outsiders_are_shown_the_join_page(client, ward, outsider):
    assert login(client, outsider).get(f"/groups/{ward.slug}/ledger/").status_code == 403


def test_recording_on_the_page_with_a_receipt_shown_to_members_only(
    client, ward, treasurer, onlooker, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _donate(ward, treasurer, 5000)
    response = login(client, treasurer).post(
        f"/groups/{ward.slug}/ledger/",
        {
            "kind": "purchase",
            "amount": "12.50",
            "memo": "Tins",
            "category": "food",
            "receipt": SimpleUploadedFile("till.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get(memo="Tins")
    assert transfer.amount == 1250 and transfer.receipt.name.endswith(".png")
    url = f"/groups/{ward.slug}/ledger/{transfer.pk}/receipt/"
    assert b"".join(login(client, onlooker).get(url).streaming_content) == PNG
    assert login(client, outsider).get(url).status_code == 403


def test_a_receipt_that_is_not_a_document_or_photo_is_refused_and_nothing_saved(
    client, ward, treasurer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _donate(ward, treasurer, 5000)
    response = login(client, treasurer).post(
        f"/groups/{ward.slug}/ledger/",
        {
            "kind": "purchase",
            "amount": "1",
            "memo": "Tins",
            "receipt": SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image"),
        },
    )
    assert response.status_code == 400
    assert "PDF or a photo" in response.content.decode()
    assert not Transfer.objects.filter(memo="Tins").exists()


@pytest.mark.parametrize("amount", ["", "abc", "0", "-5", "1.234", "1e30"])
def test_bad_amounts_are_a_form_error_never_a_500(client, ward, treasurer, amount):
    response = login(client, treasurer).post(
        f"/groups/{ward.slug}/ledger/", {"kind": "donation", "amount": amount, "memo": "x"}
    )
    assert response.status_code == 400
    assert not Transfer.objects.exists()


def test_reverse_on_the_page(client, ward, treasurer):
    transfer = _donate(ward, treasurer, 300)
    response = login(client, treasurer).post(f"/groups/{ward.slug}/ledger/{transfer.pk}/reverse/")
    assert response.status_code == 302
    assert selectors.funds(ward).balance == 0


def test_the_page_takes_a_fixed_number_of_queries(
    client, ward, treasurer, onlooker, django_assert_max_num_queries
):
    for n in range(30):
        _donate(ward, treasurer, 100 + n, memo=f"Gift {n}")
    login(client, onlooker)
    with django_assert_max_num_queries(20):
        assert client.get(f"/groups/{ward.slug}/ledger/").status_code == 200


class TestBalanceIsTheSumOfEntries(HypothesisTestCase):
    """Any sequence of money in, money out and reversals: the kept balance is the sum of
    the funds entries, never below zero, and every transfer sums to zero."""

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["donation", "dues", "purchase", "other-out", "reverse"]),
                st.integers(min_value=1, max_value=10_000),
            ),
            max_size=25,
        )
    )
    def test_invariant(self, steps):
        group = make_group(slug="prop-ward")
        keeper = member(group, "keeper@example.org")
        done: list[int] = []
        for kind, amount in steps:
            try:
                if kind == "reverse":
                    if done:
                        reverse_transfer(
                            group=group, transfer_id=done[amount % len(done)], by=keeper
                        )
                else:
                    t = record_transfer(group=group, by=keeper, kind=kind, amount=amount, memo="m")
                    done.append(t.pk)
            except Conflict:
                pass
            funds = selectors.funds(group).balance
            assert funds == selectors.sum_of_funds_entries(group)
            assert funds >= 0
        for transfer_id in Transfer.objects.filter(group=group).values_list("pk", flat=True):
            assert (
                sum(Entry.objects.filter(transfer_id=transfer_id).values_list("amount", flat=True))
                == 0
            )
