"""Hubs and stock: levels summed from movements, never negative without a reason, the
low-stock alert to the stock keepers, and meeting an ask from a hub."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.conftest import login
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.tests.factories import hold_role, make_ask
from mutua.people.services import issue_token
from mutua.resources.models import StockMovement
from mutua.resources.selectors import stock as selectors
from mutua.resources.services import stock as services


@pytest.fixture
def keeper(ward, treasurer):
    hold_role(ward, treasurer, "stock-keeper")
    return treasurer


@pytest.fixture
def pantry(ward, keeper):
    return services.create_hub(
        group=ward,
        by=keeper,
        name="St Mark's pantry",
        address="St Mark's hall",
        opening_hours="Tue 10-13",
    )


@pytest.fixture
def tins(ward, keeper):
    return services.create_item(
        group=ward, by=keeper, name="Tinned tomatoes", unit="tins", low_at=5
    )


def _move(ward, by, hub, item, kind, quantity, **extra):
    return services.record_movement(
        group=ward, by=by, hub_id=hub.pk, item_id=item.pk, kind=kind, quantity=quantity, **extra
    )


def _level(ward, viewer, hub, item):
    for entry in selectors.stock(viewer, ward):
        if entry.hub == hub:
            return next(lv.quantity for lv in entry.levels if lv.item == item)
    raise AssertionError("no such hub")


def test_levels_are_the_sum_of_movements(ward, keeper, onlooker, pantry, tins):
    _move(ward, keeper, pantry, tins, "bought", 12)
    _move(ward, keeper, pantry, tins, "donated", 6)
    _move(ward, keeper, pantry, tins, "given", 4)
    _move(ward, keeper, pantry, tins, "spoiled", 1)
    assert _level(ward, onlooker, pantry, tins) == 13
    # Recovered food comes with its use-by date, and only stock coming in has one.
    with pytest.raises(InvalidInput, match="use-by"):
        _move(ward, keeper, pantry, tins, "recovered", 3)
    with pytest.raises(InvalidInput):
        _move(ward, keeper, pantry, tins, "given", 1, use_by=timezone.localdate())
    _move(ward, keeper, pantry, tins, "recovered", 3, use_by=timezone.localdate() + timedelta(2))
    assert _level(ward, onlooker, pantry, tins) == 16


def test_stock_never_goes_negative_unless_someone_says_why(ward, keeper, onlooker, pantry, tins):
    _move(ward, keeper, pantry, tins, "bought", 2)
    with pytest.raises(Conflict, match="has 2 tins") as refused:
        _move(ward, keeper, pantry, tins, "given", 3)
    assert refused.value.field == "reason"
    assert _level(ward, onlooker, pantry, tins) == 2
    _move(ward, keeper, pantry, tins, "given", 3, reason="Given out before it was counted in")
    assert _level(ward, onlooker, pantry, tins) == -1
    shown = StockMovement.objects.get(change=-3)
    assert shown.reason == "Given out before it was counted in"


def test_only_stock_keepers_record_stock_once_the_role_is_held(
    ward, keeper, onlooker, outsider, pantry, tins
):
    with pytest.raises(NotAllowed):
        _move(ward, onlooker, pantry, tins, "bought", 1)
    with pytest.raises(NotAllowed):
        _move(ward, outsider, pantry, tins, "bought", 1)


def test_running_low_tells_the_stock_keepers_once(
    ward, keeper, onlooker, pantry, tins, django_capture_on_commit_callbacks
):
    from mutua.notify.models import Message

    _move(ward, keeper, pantry, tins, "bought", 10)
    with django_capture_on_commit_callbacks(execute=True):
        _move(ward, keeper, pantry, tins, "given", 4)  # 6: not yet
        assert not Message.objects.filter(key__startswith="stock-low:").exists()
        _move(ward, keeper, pantry, tins, "given", 2)  # 4: low
        _move(ward, keeper, pantry, tins, "given", 1)  # still low: no second alert
    alerts = Message.objects.filter(key__startswith="stock-low:")
    assert [m.user_id for m in alerts] == [keeper.pk]
    assert "Tinned tomatoes" in alerts[0].subject and "St Mark" in alerts[0].subject


def test_an_ask_is_met_from_a_hub_which_moves_the_stock(ward, keeper, onlooker, pantry, tins):
    rice = services.create_item(group=ward, by=keeper, name="Rice", unit="kg")
    _move(ward, keeper, pantry, tins, "bought", 10)
    _move(ward, keeper, pantry, rice, "donated", 1)
    ask = make_ask()
    assert ask.group == ward

    # All or none: one line short and nothing moves.
    with pytest.raises(Conflict):
        services.meet_ask(
            group=ward,
            by=keeper,
            hub_id=pantry.pk,
            ask_id=ask.pk,
            lines=[(tins.pk, 2), (rice.pk, 3)],
        )
    assert StockMovement.objects.filter(ask=ask).count() == 0

    moved = services.meet_ask(
        group=ward, by=keeper, hub_id=pantry.pk, ask_id=ask.pk, lines=[(tins.pk, 2), (rice.pk, 1)]
    )
    assert {(m.item_id, m.change, m.kind) for m in moved} == {
        (tins.pk, -2, "given"),
        (rice.pk, -1, "given"),
    }
    assert _level(ward, onlooker, pantry, tins) == 8
    assert _level(ward, onlooker, pantry, rice) == 0


def test_an_ask_of_another_group_or_a_finished_one_is_not_met(ward, keeper, pantry, tins):
    from mutua.aid.models import Ask, AskStatus

    _move(ward, keeper, pantry, tins, "bought", 10)
    done = make_ask()
    Ask.objects.filter(pk=done.pk).update(status=AskStatus.DONE)
    with pytest.raises(Conflict, match="no longer open"):
        services.meet_ask(
            group=ward, by=keeper, hub_id=pantry.pk, ask_id=done.pk, lines=[(tins.pk, 1)]
        )
    with pytest.raises(InvalidInput, match="no ask"):
        services.meet_ask(
            group=ward, by=keeper, hub_id=pantry.pk, ask_id=99999, lines=[(tins.pk, 1)]
        )


def test_the_stock_page_without_javascript(client, ward, keeper, onlooker, outsider):
    login(client, keeper)
    page = f"/groups/{ward.slug}/stock/"
    assert (
        client.post(page, {"form": "hub", "name": "Pantry", "opening_hours": "Tue"}).status_code
        == 302
    )
    assert (
        client.post(
            page, {"form": "item", "name": "Nappies", "unit": "packs", "low_at": 2}
        ).status_code
        == 302
    )
    hub = selectors.hubs_of(ward)[0]
    item = selectors.items_of(ward)[0]
    movement = {"form": "movement", "hub_id": hub.pk, "item_id": item.pk, "quantity": 3}
    assert client.post(page, {**movement, "kind": "donated"}).status_code == 302
    refused = client.post(page, {**movement, "kind": "given", "quantity": 5})
    assert refused.status_code == 400
    assert "has 3 packs" in refused.content.decode()
    assert (
        client.post(
            page, {**movement, "kind": "given", "quantity": 5, "reason": "miscount"}
        ).status_code
        == 302
    )

    login(client, onlooker)
    html = client.get(page).content.decode()
    assert "Pantry" in html and "-2 packs" in html and "miscount" in html
    assert "Record it" not in html  # a stock keeper is named: others read only
    login(client, outsider)
    assert client.get(page).status_code == 403


def test_stock_through_the_api(client, ward, keeper, onlooker):
    base = f"/api/v1/groups/{ward.slug}/stock"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=keeper)}"}
    hub = client.post(f"{base}/hubs", {"name": "Pantry"}, content_type="application/json", **auth)
    assert hub.status_code == 201
    item = client.post(
        f"{base}/items",
        {"name": "Rice", "unit": "kg", "low_at": 1},
        content_type="application/json",
        **auth,
    )
    assert item.status_code == 201
    line = {"hub": hub.json()["id"], "item": item.json()["id"], "quantity": 4}
    made = client.post(
        f"{base}/movements", {**line, "kind": "bought"}, content_type="application/json", **auth
    )
    assert made.status_code == 201 and made.json()["change"] == 4
    short = client.post(
        f"{base}/movements",
        {**line, "kind": "given", "quantity": 9},
        content_type="application/json",
        **auth,
    )
    assert short.status_code == 409 and "detail" in short.json()
    bad = client.post(
        f"{base}/movements", {**line, "kind": "stolen"}, content_type="application/json", **auth
    )
    assert bad.status_code == 400

    ask = make_ask()
    met = client.post(
        f"{base}/hubs/{hub.json()['id']}/meet-ask",
        {"ask": ask.pk, "lines": [{"item": item.json()["id"], "quantity": 3}]},
        content_type="application/json",
        **auth,
    )
    assert met.status_code == 201 and met.json()["items"][0]["ask"] == ask.pk
    member = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=onlooker)}"}
    levels = client.get(base, **member).json()["hubs"][0]["levels"]
    assert levels == [
        {"item": item.json()["id"], "name": "Rice", "unit": "kg", "level": 1, "low": True}
    ]
    assert len(client.get(f"{base}/movements", **member).json()["items"]) == 2
