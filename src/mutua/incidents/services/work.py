"""The work on an incident's cases: a group takes one type of work on a case (another
group may take another type on the same case, as disaster-relief coordinators do), and
marks it done; members of other groups of the network join the incident to help.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from mutua.governance import services as governance
from mutua.governance.models import LogKind
from mutua.groups.models import Group
from mutua.groups.selectors import is_member
from mutua.incidents import policy
from mutua.incidents.models import Case, Incident, Volunteer, WorkClaim, WorkStatus, WorkType
from mutua.people.models import User


def _require_open(incident: Incident) -> None:
    if not incident.is_open:
        raise InvalidTransition(_("The incident “%(name)s” is not open.") % {"name": incident.name})


@transaction.atomic
def claim_work(*, case: Case, work_type: str, group: Group, by: User) -> WorkClaim:
    """`group` takes `work_type` on the case: by one of its members, for a group of the
    incident's network. One group per type of work on a case: a second gets Conflict."""
    incident = case.incident
    _require_open(incident)
    if work_type not in incident.work_types:
        raise InvalidInput(
            _("This incident coordinates: %(values)s.")
            % {"values": ", ".join(str(WorkType(w).label) for w in incident.work_types)},
            field="work_type",
        )
    if not policy.in_network(incident, group):
        raise NotAllowed(
            _("%(group)s is not part of the network responding to this incident.")
            % {"group": group.name}
        )
    if not policy.may_work_for(by, group):
        raise NotAllowed(
            _("Only members of %(group)s take work on its behalf.") % {"group": group.name}
        )
    label = str(WorkType(work_type).label)
    try:
        with transaction.atomic():
            claim = WorkClaim.objects.create(
                case=case, group=group, work_type=work_type, claimed_by=by
            )
    except IntegrityError:
        holder = (
            WorkClaim.objects.select_related("group").filter(case=case, work_type=work_type).first()
        )
        raise Conflict(
            _("%(work)s on case %(case)d is already taken by %(group)s.")
            % {
                "work": label,
                "case": case.pk,
                "group": holder.group.name if holder else _("another group"),
            }
        ) from None
    detail = _("%(work)s on case %(case)d of the incident %(name)s") % {
        "work": label.lower(),
        "case": case.pk,
        "name": incident.name,
    }
    for logged in {group.pk: group, incident.group_id: incident.group}.values():
        governance.record_in_history(
            group=logged, kind=LogKind.WORK_CLAIMED, actor=by, detail=detail
        )
    return claim


@transaction.atomic
def finish_work(*, claim: WorkClaim, by: User, now: datetime | None = None) -> WorkClaim:
    """A member of the group that took the work marks it done."""
    locked = (
        WorkClaim.objects.select_for_update(of=("self",))
        .select_related("group", "case__incident")
        .get(pk=claim.pk)
    )
    _require_open(locked.case.incident)
    if not is_member(group=locked.group, user=by):
        raise NotAllowed(
            _("Only members of %(group)s mark its work done.") % {"group": locked.group.name}
        )
    if locked.status == WorkStatus.DONE:
        raise InvalidTransition(_("This work is already done."))
    locked.status, locked.done_at = WorkStatus.DONE, now or timezone.now()
    locked.save(update_fields=["status", "done_at"])
    return locked


@transaction.atomic
def join_incident(*, incident: Incident, member: User) -> Volunteer:
    """A member of another group of the network joins the incident: they may then take its
    cases (and only those) while it is open, as their own group trusts them to."""
    _require_open(incident)
    if policy.is_responder(member, incident):
        if policy.is_volunteer(member, incident):
            raise Conflict(_("You have already joined this incident."))
        raise InvalidInput(
            _("You are a member of %(group)s already: its cases are open to you.")
            % {"group": incident.group.name}
        )
    homes = policy.homes_to_join_from(member, incident)
    if not homes:
        raise NotAllowed(
            _("Only members of the groups in %(network)s join this incident.")
            % {"network": policy.network_of(incident.group).name}
        )
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                incident=incident, group_id=incident.group_id, member=member, home_group=homes[0]
            )
    except IntegrityError:  # the same person joining twice at once
        raise Conflict(_("You have already joined this incident.")) from None
    governance.record_in_history(
        group=incident.group, kind=LogKind.INCIDENT_JOINED, actor=member, detail=incident.name
    )
    return volunteer
