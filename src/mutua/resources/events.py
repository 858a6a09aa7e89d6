"""News of shared resources for other apps (notify), sent only once it is committed.

`resource_changed` is called with a ResourceChange after the transaction that made the
change has committed: a money ask made, paid or declined; a shift's reminder due; a
callout sent, or closed before its end; stock running low; a borrowed thing due back; a
gathering tomorrow. notify registers its senders in its AppConfig.ready(); resources never
imports notify (above us).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction

from mutua.core.hooks import Hook


class ResourceEvent(StrEnum):
    MONEY_ASKED = "money-asked"
    MONEY_PAID = "money-paid"
    MONEY_DECLINED = "money-declined"
    SHIFT_REMINDER = "shift-reminder"
    CALLOUT_SENT = "callout-sent"
    CALLOUT_CLOSED = "callout-closed"
    STOCK_LOW = "stock-low"
    LOAN_DUE = "loan-due"
    GATHERING_REMINDER = "gathering-reminder"


@dataclass(frozen=True)
class ResourceChange:
    event: ResourceEvent
    group_id: int
    # The row the event is about: a MoneyAsk's id for the money events, a ShiftSignup's
    # for the shift events, a Callout's for the callout events, the
    # StockMovement's that took an item low, a Loan's coming due, an
    # Rsvp's for a gathering's reminder.
    object_id: int


resource_changed: Hook[ResourceChange] = Hook("resources.resource_changed")


def announce(event: ResourceEvent, *, group_id: int, object_id: int) -> None:
    """Call `resource_changed` when the current transaction commits."""
    change = ResourceChange(event=event, group_id=group_id, object_id=object_id)
    transaction.on_commit(lambda: resource_changed.call(change))
