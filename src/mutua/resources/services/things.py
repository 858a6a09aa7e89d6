"""The lending library: adding a thing (a member's own, or one kept at a hub), borrowing
it until a date, returning it, reminders when it is due, withdrawing it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.text import clean_text
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources import policy
from mutua.resources.events import ResourceEvent, announce
from mutua.resources.models import Hub, Loan, Thing

LONGEST_LOAN = timedelta(days=92)
# Borrowers are reminded the day before a thing is due back (and once, if it is late).
REMIND_BEFORE = timedelta(days=1)


def _require_member(user: User, group: Group) -> None:
    if not policy.may_see(user, group):
        raise NotAllowed(
            _("Only members of %(group)s can do this. Joining is one click.")
            % {"group": group.name}
        )


@transaction.atomic
def add_thing(
    *, group: Group, by: User, name: str, description: str = "", hub_id: int | None = None
) -> Thing:
    """A member lends their own thing; a thing kept at a hub is added by a stock keeper."""
    _require_member(by, group)
    name = clean_text(name, field="name", label=_("what it is"), limit=120, required=True)
    description = clean_text(description, field="description", label=_("about it"), limit=500)
    hub = None
    if hub_id is not None:
        if not policy.may_keep_stock(by, group):
            raise NotAllowed(_("Only the group's stock keepers add things kept at a hub."))
        hub = Hub.objects.filter(group=group, pk=hub_id).first()
        if hub is None:
            raise InvalidInput(_("There is no such hub in this group."), field="hub_id")
    return Thing.objects.create(
        group=group,
        name=name,
        description=description,
        hub=hub,
        owner=None if hub is not None else by,
    )


def _locked_thing(group: Group, thing_id: int) -> Thing:
    thing = Thing.objects.select_for_update().filter(group=group, pk=thing_id).first()
    if thing is None:
        raise InvalidInput(_("There is no such thing in this group's library."), field="thing")
    return thing


@transaction.atomic
def borrow(
    *, group: Group, thing_id: int, member: User, due_on: date, now: datetime | None = None
) -> Loan:
    """A member takes a thing until `due_on`, while nobody else has it."""
    _require_member(member, group)
    now = now or timezone.now()
    thing = _locked_thing(group, thing_id)
    if thing.withdrawn_at is not None:
        raise Conflict(_("That thing is no longer in the library."))
    if thing.owner_id == member.pk:
        raise InvalidInput(_("That is your own thing."), field="thing")
    today = timezone.localdate(now)
    if not today <= due_on <= today + LONGEST_LOAN:
        raise InvalidInput(
            _("Choose a return date from today to three months ahead."), field="due_on"
        )
    if Loan.objects.filter(thing=thing, returned_at__isnull=True).exists():
        raise Conflict(_("Someone has it now. Ask again when it is back."))
    try:
        with transaction.atomic():
            return Loan.objects.create(
                group=group, thing=thing, borrower=member, lent_at=now, due_on=due_on
            )
    except IntegrityError:
        raise Conflict(_("Someone has it now. Ask again when it is back.")) from None


@transaction.atomic
def return_thing(*, group: Group, thing_id: int, by: User, now: datetime | None = None) -> Loan:
    """The thing is back: said by its borrower, its owner, or (a hub's) a stock keeper."""
    thing = _locked_thing(group, thing_id)
    loan = Loan.objects.filter(thing=thing, returned_at__isnull=True).first()
    if loan is None:
        raise Conflict(_("Nobody has that thing now."))
    allowed = by.pk in (loan.borrower_id, thing.owner_id) or (
        thing.hub_id is not None and policy.may_keep_stock(by, group)
    )
    if not allowed:
        raise NotAllowed(_("Only the borrower or whoever lends it can say it is back."))
    loan.returned_at = now or timezone.now()
    loan.save(update_fields=["returned_at"])
    return loan


@transaction.atomic
def withdraw_thing(*, group: Group, thing_id: int, by: User, now: datetime | None = None) -> Thing:
    """Take a thing out of the library (its owner, or a stock keeper for a hub's)."""
    thing = _locked_thing(group, thing_id)
    owns = thing.owner_id == by.pk or (
        thing.hub_id is not None and policy.may_keep_stock(by, group)
    )
    if not owns:
        raise NotAllowed(_("Only whoever lends it can take it out of the library."))
    if Loan.objects.filter(thing=thing, returned_at__isnull=True).exists():
        raise Conflict(_("Someone has it now; take it back first."))
    thing.withdrawn_at = now or timezone.now()
    thing.save(update_fields=["withdrawn_at"])
    return thing


def remind_due(*, now: datetime | None = None) -> int:
    """Announce a reminder for each loan due back tomorrow or earlier, once each (the
    periodic job; safe to run twice or late). Returns how many were announced."""
    now = now or timezone.now()
    due = timezone.localdate(now) + REMIND_BEFORE
    count = 0
    for loan_id, group_id in Loan.objects.filter(
        returned_at__isnull=True, reminded_at__isnull=True, due_on__lte=due
    ).values_list("pk", "group_id"):
        with transaction.atomic():
            # Claimed with a conditional UPDATE, so two workers never both remind.
            if Loan.objects.filter(pk=loan_id, reminded_at__isnull=True).update(reminded_at=now):
                announce(ResourceEvent.LOAN_DUE, group_id=group_id, object_id=loan_id)
                count += 1
    return count


def forget_person(user: User) -> None:
    """On erasure: their own things leave the library (nobody can lend them now)."""
    Thing.objects.filter(owner=user, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
