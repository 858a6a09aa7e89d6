"""Gatherings: calling a meeting, members' answers (RSVP), reminders a day ahead."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.text import clean_text
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources import policy
from mutua.resources.events import ResourceEvent, announce
from mutua.resources.models import Gathering, Rsvp

DEFAULT_LENGTH = timedelta(hours=2)
LONGEST = timedelta(days=3)
AHEAD = timedelta(days=366)
REMIND_BEFORE = timedelta(hours=24)


def _require_member(user: User, group: Group) -> None:
    if not policy.may_see(user, group):
        raise NotAllowed(
            _("Only members of %(group)s can do this. Joining is one click.")
            % {"group": group.name}
        )


@transaction.atomic
def create_gathering(
    *,
    group: Group,
    by: User,
    title: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    description: str = "",
    private_attendance: bool = False,
    now: datetime | None = None,
) -> Gathering:
    """Any member may call a meeting: nobody is in charge of the group's assemblies."""
    _require_member(by, group)
    now = now or timezone.now()
    title = clean_text(title, field="title", label=_("what it is"), limit=120, required=True)
    place = clean_text(place, field="place", label=_("where"), limit=300, required=True)
    description = clean_text(description, field="description", label=_("about it"), limit=1000)
    if not now < starts_at <= now + AHEAD:
        raise InvalidInput(_("Choose a time from now to a year ahead."), field="starts_at")
    ends_at = ends_at or starts_at + DEFAULT_LENGTH
    if not starts_at < ends_at <= starts_at + LONGEST:
        raise InvalidInput(_("It must end after it starts, within three days."), field="ends_at")
    return Gathering.objects.create(
        group=group,
        title=title,
        description=description,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        private_attendance=private_attendance,
        created_by=by,
        created_at=now,
    )


@transaction.atomic
def answer(
    *, group: Group, gathering_id: int, member: User, going: bool, now: datetime | None = None
) -> Rsvp:
    """A member says they are coming, or not; again to change it, until it has ended."""
    _require_member(member, group)
    now = now or timezone.now()
    gathering = Gathering.objects.filter(group=group, pk=gathering_id).first()
    if gathering is None:
        raise InvalidInput(_("There is no such gathering in this group."), field="gathering")
    if gathering.ends_at <= now:
        raise Conflict(_("That gathering is over."))
    rsvp, created = Rsvp.objects.select_for_update().get_or_create(
        gathering=gathering,
        member=member,
        defaults={"group": group, "going": going, "answered_at": now},
    )
    if not created and rsvp.going != going:
        rsvp.going, rsvp.answered_at = going, now
        rsvp.save(update_fields=["going", "answered_at"])
    return rsvp


def remind_upcoming(*, now: datetime | None = None) -> int:
    """Announce a reminder to each member going to a gathering that starts within a day,
    once each (the periodic job; safe to run twice or late)."""
    now = now or timezone.now()
    count = 0
    for rsvp_id, group_id in Rsvp.objects.filter(
        going=True,
        reminded_at__isnull=True,
        gathering__starts_at__gt=now,
        gathering__starts_at__lte=now + REMIND_BEFORE,
    ).values_list("pk", "group_id"):
        with transaction.atomic():
            # Claimed with a conditional UPDATE, so two workers never both remind.
            if Rsvp.objects.filter(pk=rsvp_id, reminded_at__isnull=True).update(reminded_at=now):
                announce(ResourceEvent.GATHERING_REMINDER, group_id=group_id, object_id=rsvp_id)
                count += 1
    return count


def forget_person(user: User) -> None:
    """On erasure: their answers to gatherings to come go (past ones stay as counts)."""
    Rsvp.objects.filter(member=user, gathering__starts_at__gt=timezone.now()).delete()
