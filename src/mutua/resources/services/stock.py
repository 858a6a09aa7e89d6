"""Hubs and stock: opening a hub, naming an item, recording stock in and out (meeting an
ask from a hub among them), and telling the stock keepers when an item runs low.

Levels are the sum of a hub's movements. Every movement at a hub is decided under a lock
on the hub, so two people giving out the last tin never both succeed unnoticed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskStatus
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.text import clean_text
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources import policy
from mutua.resources.events import ResourceEvent, announce
from mutua.resources.models import MOVEMENTS_IN, Hub, MovementKind, StockItem, StockMovement

MAX_QUANTITY = 1_000_000
# An ask can be met from a hub while someone may still be helped by it.
MEETABLE = (AskStatus.OPEN, AskStatus.CLAIMED)


def _require_keeper(user: User, group: Group) -> None:
    if not policy.may_keep_stock(user, group):
        raise NotAllowed(_("Only the group's stock keepers record stock."))


@transaction.atomic
def create_hub(
    *, group: Group, by: User, name: str, address: str = "", opening_hours: str = ""
) -> Hub:
    _require_keeper(by, group)
    name = clean_text(name, field="name", label=_("the hub's name"), limit=120, required=True)
    address = clean_text(address, field="address", label=_("address"), limit=300)
    hours = clean_text(opening_hours, field="opening_hours", label=_("opening hours"), limit=300)
    try:
        with transaction.atomic():
            return Hub.objects.create(group=group, name=name, address=address, opening_hours=hours)
    except IntegrityError:
        raise Conflict(_("The group already has a hub of that name."), field="name") from None


@transaction.atomic
def create_item(*, group: Group, by: User, name: str, unit: str, low_at: int = 0) -> StockItem:
    _require_keeper(by, group)
    name = clean_text(name, field="name", label=_("the item's name"), limit=120, required=True)
    unit = clean_text(unit, field="unit", label=_("unit"), limit=30, required=True)
    if isinstance(low_at, bool) or not 0 <= low_at <= MAX_QUANTITY:
        raise InvalidInput(_("The low level must be 0 or more."), field="low_at")
    try:
        with transaction.atomic():
            return StockItem.objects.create(group=group, name=name, unit=unit, low_at=low_at)
    except IntegrityError:
        raise Conflict(_("The group already keeps an item of that name."), field="name") from None


def level(hub: Hub, item: StockItem) -> int:
    total = StockMovement.objects.filter(hub=hub, item=item).aggregate(total=Sum("change"))
    return int(total["total"] or 0)


def _locked_hub(group: Group, hub_id: int) -> Hub:
    hub = Hub.objects.select_for_update().filter(group=group, pk=hub_id).first()
    if hub is None:
        raise InvalidInput(_("There is no such hub in this group."), field="hub")
    return hub


def _item(group: Group, item_id: int) -> StockItem:
    item = StockItem.objects.filter(group=group, pk=item_id).first()
    if item is None:
        raise InvalidInput(_("There is no such item in this group."), field="item")
    return item


def _ask(group: Group, ask_id: int | None) -> Ask | None:
    if ask_id is None:
        return None
    ask = Ask.objects.filter(group=group, pk=ask_id).first()
    if ask is None:
        raise InvalidInput(
            _("There is no ask #%(ref)d in this group.") % {"ref": ask_id}, field="ask"
        )
    if ask.status not in MEETABLE:
        raise Conflict(_("Ask #%(ref)d is no longer open.") % {"ref": ask_id}, field="ask")
    return ask


def _move(
    *,
    group: Group,
    by: User,
    hub: Hub,
    item: StockItem,
    kind: MovementKind,
    quantity: int,
    use_by: date | None,
    reason: str,
    ask: Ask | None,
    now: datetime,
) -> StockMovement:
    if isinstance(quantity, bool) or not 0 < quantity <= MAX_QUANTITY:
        raise InvalidInput(_("The quantity must be a whole number above 0."), field="quantity")
    if kind == MovementKind.RECOVERED and use_by is None:
        raise InvalidInput(_("Recovered food needs its use-by date."), field="use_by")
    if use_by is not None and kind not in MOVEMENTS_IN:
        raise InvalidInput(_("A use-by date goes with stock coming in."), field="use_by")
    if ask is not None and kind != MovementKind.GIVEN:
        raise InvalidInput(_("Only stock given out meets an ask."), field="ask")
    before = level(hub, item)
    change = quantity if kind in MOVEMENTS_IN else -quantity
    after = before + change
    if after < 0 and not reason:
        raise Conflict(
            _(
                "%(hub)s has %(level)d %(unit)s of %(item)s. To record more going out, say "
                "why (for example: given out before it was counted in)."
            )
            % {"hub": hub.name, "level": before, "unit": item.unit, "item": item.name},
            field="reason",
        )
    movement = StockMovement.objects.create(
        group=group,
        hub=hub,
        item=item,
        kind=kind,
        change=change,
        use_by=use_by,
        reason=reason,
        ask=ask,
        recorded_by=by,
        recorded_at=now,
    )
    if item.low_at and after <= item.low_at < before:
        announce(ResourceEvent.STOCK_LOW, group_id=group.pk, object_id=movement.pk)
    return movement


@transaction.atomic
def record_movement(
    *,
    group: Group,
    by: User,
    hub_id: int,
    item_id: int,
    kind: str,
    quantity: int,
    use_by: date | None = None,
    reason: str = "",
    ask_id: int | None = None,
    now: datetime | None = None,
) -> StockMovement:
    """Stock in (bought, donated, recovered food with its use-by date) or out (given out,
    spoiled) at one hub. Out never takes the level below zero unless `reason` says why."""
    _require_keeper(by, group)
    if kind not in MovementKind.values:
        raise InvalidInput(_("Choose what kind of movement it is."), field="kind")
    reason = clean_text(reason, field="reason", label=_("reason"), limit=200)
    hub = _locked_hub(group, hub_id)
    return _move(
        group=group,
        by=by,
        hub=hub,
        item=_item(group, item_id),
        kind=MovementKind(kind),
        quantity=quantity,
        use_by=use_by,
        reason=reason,
        ask=_ask(group, ask_id),
        now=now or timezone.now(),
    )


@transaction.atomic
def meet_ask(
    *,
    group: Group,
    by: User,
    hub_id: int,
    ask_id: int,
    lines: Sequence[tuple[int, int]],
    reason: str = "",
    now: datetime | None = None,
) -> list[StockMovement]:
    """Meet an open ask from a hub: each (item, quantity) is given out for it, all or
    none. The ask itself is marked done by whoever helps, as always."""
    _require_keeper(by, group)
    if not lines:
        raise InvalidInput(_("Say what is given out for the ask."), field="lines")
    reason = clean_text(reason, field="reason", label=_("reason"), limit=200)
    hub = _locked_hub(group, hub_id)
    ask = _ask(group, ask_id)
    at = now or timezone.now()
    return [
        _move(
            group=group,
            by=by,
            hub=hub,
            item=_item(group, item_id),
            kind=MovementKind.GIVEN,
            quantity=quantity,
            use_by=None,
            reason=reason,
            ask=ask,
            now=at,
        )
        for item_id, quantity in lines
    ]
