"""Rapid-response callouts: sending one to the members near a place, their answers (by
page, API or text), closing one early (enough people came, it was called off), and
closing each once its event is over.

Who is told, and by which channel, is notify's (it is above us): sending announces
CALLOUT_SENT once committed, notify picks each member's fastest channel among those they
opted into and reports back how many it reached (`record_reached`). Closing early
announces CALLOUT_CLOSED, on which notify tells those who said they were coming.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core import geo
from mutua.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from mutua.core.text import clean_text
from mutua.governance import services as governance
from mutua.governance.models import LogKind
from mutua.groups.models import Group
from mutua.groups.selectors.places import resolve_place
from mutua.people.models import User
from mutua.resources import policy
from mutua.resources.events import ResourceEvent, announce
from mutua.resources.models import Answer, AnsweredVia, Callout, CalloutAnswer

MAX_RADIUS_KM = 50.0
DEFAULT_LENGTH = timedelta(hours=2)
MAX_LENGTH = timedelta(days=2)
# A callout is for now: its gathering may have begun a little before it is sent, and it
# is never for a day more than a week off (that is a gathering, not a callout).
MAY_HAVE_STARTED = timedelta(hours=1)
AHEAD = timedelta(days=7)


def _place_point(place: str, lat: float | None, lon: float | None) -> tuple[float, float]:
    if lat is not None and lon is not None:
        if not geo.valid_point(lat, lon):
            raise InvalidInput(_("That is not a point on the map."), field="place")
        return lat, lon
    point = resolve_place(place)
    if point is None:
        raise InvalidInput(
            _("We could not find that place. Name a street, an estate or a landmark nearby."),
            field="place",
        )
    return point


@transaction.atomic
def send_callout(
    *,
    group: Group,
    by: User,
    what: str,
    place: str,
    starts_at: datetime,
    radius_km: float,
    ends_at: datetime | None = None,
    lat: float | None = None,
    lon: float | None = None,
    now: datetime | None = None,
) -> Callout:
    """Call members within `radius_km` of the place to come at `starts_at`. Only a caller
    the group named may: a callout wakes phones, so it never falls to whoever joined."""
    if not policy.may_send_callout(by, group):
        raise NotAllowed(_("Only a member the group named as callout caller can send one."))
    now = now or timezone.now()
    what = clean_text(what, field="what", label=_("what is needed"), limit=500, required=True)
    place = clean_text(place, field="place", label=_("where"), limit=200, required=True)
    point = _place_point(place, lat, lon)
    if isinstance(radius_km, bool) or not 0 < radius_km <= MAX_RADIUS_KM:
        raise InvalidInput(
            _("The radius must be more than 0 and at most %(max)d km.") % {"max": MAX_RADIUS_KM},
            field="radius_km",
        )
    if starts_at < now - MAY_HAVE_STARTED:
        raise InvalidInput(_("That time has passed."), field="starts_at")
    if starts_at > now + AHEAD:
        raise InvalidInput(
            _("A callout is for the coming days; plan a gathering for later."), field="starts_at"
        )
    ends_at = ends_at or starts_at + DEFAULT_LENGTH
    if not starts_at < ends_at <= starts_at + MAX_LENGTH:
        raise InvalidInput(_("It must end after it starts, and within two days."), field="ends_at")
    callout = Callout.objects.create(
        group=group,
        sent_by=by,
        what=what,
        place=place,
        lat=point[0],
        lon=point[1],
        radius_km=float(radius_km),
        starts_at=starts_at,
        ends_at=ends_at,
        sent_at=now,
    )
    announce(ResourceEvent.CALLOUT_SENT, group_id=group.pk, object_id=callout.pk)
    return callout


@transaction.atomic
def answer_callout(
    *,
    group: Group,
    callout_id: int,
    member: User,
    coming: bool,
    via: AnsweredVia,
    now: datetime | None = None,
) -> CalloutAnswer:
    """A member says they are coming, or cannot; answering again changes the answer."""
    if not policy.may_see(member, group):
        raise NotAllowed(
            _("Only members of %(group)s can answer its callouts.") % {"group": group.name}
        )
    callout = Callout.objects.select_for_update().filter(group=group, pk=callout_id).first()
    if callout is None:
        raise InvalidInput(_("There is no such callout in this group."), field="callout")
    if not callout.is_open:
        raise Conflict(_("This callout is over. Thank you all the same!"))
    answer = Answer.COMING if coming else Answer.CANT
    row, created = CalloutAnswer.objects.get_or_create(
        callout=callout,
        member=member,
        defaults={
            "group": group,
            "answer": answer,
            "via": via,
            "answered_at": now or timezone.now(),
        },
    )
    if not created:
        row.answer, row.via, row.answered_at = answer, via, now or timezone.now()
        row.save(update_fields=["answer", "via", "answered_at"])
    return row


@transaction.atomic
def close_callout(
    *,
    group: Group,
    callout_id: int,
    by: User,
    reason: str,
    now: datetime | None = None,
) -> Callout:
    """Close a callout before its end, saying why ("enough people are here", "called
    off"): it takes no more answers, the group's history says who closed it, and those
    who said they were coming are told once committed. Its caller or any named caller
    may; closing it again is refused."""
    if not policy.may_see(by, group):
        raise NotAllowed(
            _("Only members of %(group)s can close its callouts.") % {"group": group.name}
        )
    callout = (
        Callout.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(group=group, pk=callout_id)
        .first()
    )
    if callout is None:
        raise NotFound("callout")
    if not policy.may_close_callout(by, callout):
        raise NotAllowed(
            _("Only the member who sent this callout, or a callout caller, can close it.")
        )
    if not callout.is_open:
        raise Conflict(_("This callout is already closed."))
    reason = clean_text(
        reason, field="reason", label=_("why you close it"), limit=200, required=True
    )
    callout.closed_at = now or timezone.now()
    callout.closed_by = by
    callout.close_reason = reason
    callout.save(update_fields=["closed_at", "closed_by", "close_reason"])
    governance.record_in_history(
        group=group,
        kind=LogKind.CALLOUT_CLOSED,
        actor=by,
        detail=f"#C{callout.pk} (“{reason}”)",
    )
    announce(ResourceEvent.CALLOUT_CLOSED, group_id=group.pk, object_id=callout.pk)
    return callout


@transaction.atomic
def record_reached(*, callout_id: int, count: int) -> None:
    """How many members notify sent the callout to (called by notify once queued)."""
    Callout.objects.filter(pk=callout_id).update(reached=count)


def close_finished(*, now: datetime | None = None) -> int:
    """Close every callout whose event is over (the periodic job; safe to run twice).
    Returns how many it closed."""
    now = now or timezone.now()
    with transaction.atomic():
        return Callout.objects.filter(closed_at__isnull=True, ends_at__lte=now).update(
            closed_at=now
        )
