"""The ledger and money asks through the API, and the ledger's CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mutua.governance.tests.factories import set_rules
from mutua.people.services import issue_token
from mutua.resources import selectors


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}


def _post(client, path, body, user):
    return client.post(path, body, content_type="application/json", **bearer(user))


def test_record_read_and_reverse(client, ward, treasurer, onlooker):
    base = f"/api/v1/groups/{ward.slug}/ledger"
    made = _post(
        client, f"{base}/transfers", {"kind": "donation", "amount": 4200, "memo": "Gig"}, treasurer
    )
    assert made.status_code == 201 and made.json()["funds_change"] == 4200

    refused = _post(
        client, f"{base}/transfers", {"kind": "purchase", "amount": 5000, "memo": "X"}, treasurer
    )
    assert refused.status_code == 409 and "detail" in refused.json()

    reversed_ = _post(client, f"{base}/transfers/{made.json()['id']}/reverse", {}, treasurer)
    assert reversed_.status_code == 201 and reversed_.json()["funds_change"] == -4200

    ledger = client.get(base, **bearer(onlooker)).json()
    assert (ledger["currency"], ledger["balance"]) == ("GBP", 0)
    assert [t["kind"] for t in ledger["items"]] == ["reversal", "donation"]
    assert ledger["items"][1]["reversed_by"] == reversed_.json()["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "donation", "amount": 0, "memo": "x"},
        {"kind": "donation", "amount": -3, "memo": "x"},
        {"kind": "payment", "amount": 3, "memo": "x"},
        {"kind": "donation", "amount": 3, "memo": ""},
        {"kind": "donation", "amount": "lots", "memo": "x"},
    ],
)
def test_bad_input_is_a_4xx_with_detail_and_saves_nothing(client, ward, treasurer, body):
    response = _post(client, f"/api/v1/groups/{ward.slug}/ledger/transfers", body, treasurer)
    assert 400 <= response.status_code < 500 and "detail" in response.json()
    assert selectors.funds(ward).balance == 0


def test_outsiders_get_403(client, ward, outsider):
    response = client.get(f"/api/v1/groups/{ward.slug}/ledger", **bearer(outsider))
    assert response.status_code == 403


def test_money_asks_by_pseudonym_for_members(client, ward, treasurer, neighbour, onlooker):
    base = f"/api/v1/groups/{ward.slug}/money-asks"
    made = _post(client, base, {"amount": 1500, "reason": "School shoes"}, neighbour).json()
    assert made["asker"] and made["reason"] == "School shoes"

    seen = client.get(base, **bearer(onlooker)).json()["items"]
    assert seen == [{**made, "asker": None, "reason": None}]
    by_treasurer = client.get(base, **bearer(treasurer)).json()["items"][0]
    assert by_treasurer["reason"] == "School shoes"

    assert _post(client, f"{base}/{made['id']}/pay", {}, onlooker).status_code == 403
    assert _post(client, f"{base}/{made['id']}/pay", {}, treasurer).status_code == 409
    set_rules(ward, money_ask_limit=2000)
    _post(
        client,
        f"/api/v1/groups/{ward.slug}/ledger/transfers",
        {"kind": "donation", "amount": 9000, "memo": "Gift"},
        treasurer,
    )
    paid = _post(client, f"{base}/{made['id']}/pay", {}, treasurer)
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert _post(client, f"{base}/{made['id']}/shred", {}, treasurer).status_code in (404, 422)


def test_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/groups/{slug}/ledger" in paths
    assert "/api/v1/groups/{slug}/money-asks" in paths


def test_export_ledger_as_csv_with_the_running_balance(ward, treasurer):
    from mutua.resources.services.ledger import record_transfer

    record_transfer(group=ward, by=treasurer, kind="donation", amount=1000, memo="=cmd|calc")
    record_transfer(group=ward, by=treasurer, kind="purchase", amount=250, memo="Soap")
    out = io.StringIO()
    call_command("export", "ledger", "--group", ward.slug, "--format", "csv", stdout=out)

    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert [(r["kind"], r["funds_change"], r["balance"]) for r in rows] == [
        ("donation", "1000", "1000"),
        ("purchase", "-250", "750"),
    ]
    assert rows[0]["memo"].startswith("'")  # a spreadsheet never runs it as a formula
    assert rows[0]["recorded_by"] == "Tess"


def test_export_ledger_needs_a_group(db):
    with pytest.raises(CommandError, match="--group"):
        call_command("export", "ledger", "--format", "csv")
