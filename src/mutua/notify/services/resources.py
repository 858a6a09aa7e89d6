"""Messages about shared resources: a money ask waiting for the treasurer, its answer for
the asker, a shift's reminder, a callout to the members near it (and, when it closes
early, to those who said they were coming), low stock to the stock
keepers, a borrowed thing due back to its borrower, a gathering tomorrow to those coming.
Called by notify.receivers for each ResourceChange."""

from __future__ import annotations

from django.urls import reverse

from mutua.governance import policy as governance_policy
from mutua.governance.models import Role
from mutua.notify import messages
from mutua.notify.services.recipients import fastest_recipient, member_recipient, tell
from mutua.people.models import User
from mutua.resources import money
from mutua.resources.events import ResourceChange, ResourceEvent
from mutua.resources.models import (
    Answer,
    Callout,
    Ledger,
    Loan,
    MoneyAsk,
    Rsvp,
    ShiftSignup,
    StockMovement,
)
from mutua.resources.selectors.callouts import within_reach
from mutua.resources.services import callouts as callout_services


def notify_resource_event(*, change: ResourceChange) -> int:
    """Queue the messages one committed resource change calls for; returns how many."""
    if change.event == ResourceEvent.SHIFT_REMINDER:
        return _shift_reminder(change)
    if change.event == ResourceEvent.CALLOUT_SENT:
        return _callout(change)
    if change.event == ResourceEvent.CALLOUT_CLOSED:
        return _callout_closed(change)
    if change.event == ResourceEvent.STOCK_LOW:
        return _stock_low(change)
    if change.event == ResourceEvent.LOAN_DUE:
        return _loan_due(change)
    if change.event == ResourceEvent.GATHERING_REMINDER:
        return _gathering_reminder(change)
    if change.event in (
        ResourceEvent.MONEY_ASKED,
        ResourceEvent.MONEY_PAID,
        ResourceEvent.MONEY_DECLINED,
    ):
        return _money(change)
    return 0


def _money(change: ResourceChange) -> int:
    ask = (
        MoneyAsk.objects.select_related("group", "asker__profile")
        .filter(pk=change.object_id)
        .first()
    )
    if ask is None:
        return 0
    ledger = Ledger.objects.filter(group=ask.group).first()
    currency = ledger.currency if ledger else ""
    context = {
        "group": ask.group,
        "pseudonym": ask.pseudonym,
        "amount": money.format_amount(ask.amount, currency) if currency else ask.amount,
        "event": str(change.event),
        "link": messages.link(reverse("resources:ledger", args=[ask.group.slug])),
    }
    if change.event == ResourceEvent.MONEY_ASKED:
        # The treasurers only, and never the asker's name: the page shows it to them.
        terms = governance_policy.active_holders(ask.group, Role.TREASURER).select_related(
            "holder__profile"
        )
        return sum(
            tell(
                key=f"money-asked:{ask.pk}:{term.holder_id}",
                event="money_asked",
                context=context,
                to=member_recipient(term.holder),
            )
            for term in terms
            if term.holder_id != ask.asker_id
        )
    return tell(
        key=f"{change.event}:{ask.pk}",
        event="money_answered",
        context=context,
        to=member_recipient(ask.asker),
    )


def _shift_reminder(change: ResourceChange) -> int:
    signup = (
        ShiftSignup.objects.select_related("shift__group", "member__profile")
        .filter(pk=change.object_id, dropped_at__isnull=True)
        .first()
    )
    if signup is None:
        return 0
    shift = signup.shift
    context = {
        "group": shift.group,
        "shift": shift,
        "day": signup.day,
        "link": messages.link(reverse("resources:shifts", args=[shift.group.slug])),
    }
    return tell(
        key=f"shift-reminder:{signup.pk}",
        event="shift_reminder",
        context=context,
        to=member_recipient(signup.member),
    )


def _callout(change: ResourceChange) -> int:
    """Each member within the callout's reach, once, on the fastest channel they opted
    into; a member whose quiet hours last past the event is not woken for it."""
    callout = Callout.objects.select_related("group").filter(pk=change.object_id).first()
    if callout is None or not callout.is_open:
        return 0
    context = {
        "group": callout.group,
        "callout": callout,
        "ref": f"#C{callout.pk}",
        "link": messages.link(reverse("resources:callouts", args=[callout.group.slug])),
    }
    reached = 0
    for member in within_reach(callout):
        to = fastest_recipient(member)
        if to is None or (to.not_before is not None and to.not_before >= callout.ends_at):
            continue
        reached += tell(
            key=f"callout:{callout.pk}:{member.pk}", event="callout", context=context, to=to
        )
    callout_services.record_reached(callout_id=callout.pk, count=reached)
    return reached


def _callout_closed(change: ResourceChange) -> int:
    """Everyone who said they were coming, on their fastest channel: they may be on their
    way. Whoever closed it knows already."""
    callout = (
        Callout.objects.select_related("group")
        .filter(pk=change.object_id, closed_by__isnull=False)
        .first()
    )
    if callout is None:
        return 0
    context = {
        "group": callout.group,
        "callout": callout,
        "link": messages.link(reverse("resources:callouts", args=[callout.group.slug])),
    }
    coming = (
        User.objects.filter(
            callout_answers__callout=callout,
            callout_answers__answer=Answer.COMING,
            is_active=True,
        )
        .select_related("profile")
        .order_by("pk")
    )
    told = 0
    for member in coming:
        to = None if member.pk == callout.closed_by_id else fastest_recipient(member)
        if to is None:
            continue
        told += tell(
            key=f"callout-closed:{callout.pk}:{member.pk}",
            event="callout_closed",
            context=context,
            to=to,
        )
    return told


def _stock_low(change: ResourceChange) -> int:
    """The stock keepers the group named, when a movement took an item to its low level.
    While nobody holds the role nobody is told: the page shows the level to everyone."""
    movement = (
        StockMovement.objects.select_related("group", "hub", "item")
        .filter(pk=change.object_id)
        .first()
    )
    if movement is None:
        return 0
    group = movement.group
    context = {
        "group": group,
        "hub": movement.hub,
        "item": movement.item,
        "link": messages.link(reverse("resources:stock", args=[group.slug])),
    }
    terms = governance_policy.active_holders(group, Role.STOCK_KEEPER).select_related(
        "holder__profile"
    )
    return sum(
        tell(
            key=f"stock-low:{movement.pk}:{term.holder_id}",
            event="stock_low",
            context=context,
            to=member_recipient(term.holder),
        )
        for term in terms
    )


def _loan_due(change: ResourceChange) -> int:
    loan = (
        Loan.objects.select_related("thing__group", "thing__hub", "borrower__profile")
        .filter(pk=change.object_id, returned_at__isnull=True)
        .first()
    )
    if loan is None:
        return 0
    group = loan.thing.group
    context = {
        "group": group,
        "thing": loan.thing,
        "due_on": loan.due_on,
        "link": messages.link(reverse("resources:things", args=[group.slug])),
    }
    return tell(
        key=f"loan-due:{loan.pk}",
        event="loan_due",
        context=context,
        to=member_recipient(loan.borrower),
    )


def _gathering_reminder(change: ResourceChange) -> int:
    rsvp = (
        Rsvp.objects.select_related("gathering__group", "member__profile")
        .filter(pk=change.object_id, going=True)
        .first()
    )
    if rsvp is None:
        return 0
    gathering = rsvp.gathering
    context = {
        "group": gathering.group,
        "gathering": gathering,
        "link": messages.link(reverse("resources:gatherings", args=[gathering.group.slug])),
    }
    return tell(
        key=f"gathering-reminder:{rsvp.pk}",
        event="gathering_reminder",
        context=context,
        to=member_recipient(rsvp.member),
    )
