"""Reads of the lending library: every thing, with who has it now (members only), and
what one member has borrowed (their own page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources.models import Loan, Thing
from mutua.resources.selectors.ledger import require_member


@dataclass(frozen=True)
class ThingView:
    thing: Thing
    loan: Loan | None
    # Whether the viewer may say it is back or take it out (their own, or a hub's and
    # they keep stock); the service decides, this only chooses the buttons.
    lends: bool

    @property
    def late(self) -> bool:
        return self.loan is not None and self.loan.due_on < timezone.localdate()

    @property
    def lender(self) -> str:
        return _lender(self.thing)


def _lender(thing: Thing) -> str:
    """Who lends it: its hub's name, or its owner's."""
    if thing.hub is not None:
        return thing.hub.name
    return thing.owner.display_name if thing.owner else ""


def library(viewer: User | None, group: Group, *, keeper: bool = False) -> list[ThingView]:
    """Every thing in the library with its loan now, if any; `keeper`: the viewer keeps
    the group's stock (so lends what hubs lend)."""
    require_member(viewer, group)
    things = list(
        Thing.objects.filter(group=group, withdrawn_at__isnull=True).select_related(
            "owner__profile", "hub"
        )
    )
    loans = {
        loan.thing_id: loan
        for loan in Loan.objects.filter(thing__in=things, returned_at__isnull=True).select_related(
            "borrower__profile"
        )
    }
    viewer_id = viewer.pk if viewer is not None else None
    return [
        ThingView(
            t,
            loans.get(t.pk),
            lends=t.owner_id == viewer_id or (t.hub_id is not None and keeper),
        )
        for t in things
    ]


@dataclass(frozen=True)
class BorrowedView:
    """A thing in the member's hands now, for their own page."""

    loan: Loan

    @property
    def late(self) -> bool:
        return self.loan.due_on < timezone.localdate()

    @property
    def lender(self) -> str:
        return _lender(self.loan.thing)


def borrowed_by(member: User, *, limit: int = 50) -> list[BorrowedView]:
    """What the member has borrowed and not yet given back, the first due first, in every
    group (one they have left too: the thing still goes back)."""
    loans = (
        Loan.objects.filter(borrower=member, returned_at__isnull=True)
        .select_related("group", "thing__hub", "thing__owner__profile")
        .order_by("due_on", "pk")[:limit]
    )
    return [BorrowedView(loan) for loan in loans]


def due_back(today: date | None = None) -> date:
    """The default return date offered: a week from today."""
    return (today or timezone.localdate()) + timedelta(days=7)
