"""Trust: members trusting a fellow member with a role, which grants it at the
group's threshold.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.governance import policy, selectors
from mutua.governance.models import Role, RoleTerm, TermSource, Trust
from mutua.governance.services._common import _check_role, _now, _require_subject_member
from mutua.governance.services._terms import _start_term
from mutua.governance.services.establishment import establish_if_ready
from mutua.groups.models import Group, Membership
from mutua.people.models import User


@transaction.atomic
def give_trust(
    *, group: Group, giver: User, receiver: User, role: str, now: datetime | None = None
) -> Trust:
    """Trust a fellow member with a role. When pending trust from members reaches the
    group's threshold for the role, the role is granted for one term and the trust is spent.

    Helper trust counts towards taking the group's asks (`trust_to_take`), and only
    members already trusted with asks may give it."""
    policy.require_member(giver, group)
    role = _check_role(role)
    _require_subject_member(group, receiver, field="receiver")
    if receiver.pk == giver.pk:
        raise InvalidInput(_("Trust is given to someone else."), field="receiver")
    threshold = selectors.group_settings(group).trust_threshold(role)
    if role == Role.HELPER and not policy.is_trusted(giver, group):
        # Otherwise a few accounts made for the purpose could vouch for one another.
        raise NotAllowed(
            _(
                "Only members the group already trusts with its asks can vouch for others "
                "as helpers."
            )
        )
    if threshold == 0 and role != Role.HELPER:
        raise InvalidInput(
            _("In this group only a decision gives the role %(role)s; open a proposal instead.")
            % {"role": role.label},
            field="role",
        )
    now = _now(now)
    # One trust at a time per receiver: two gifts crossing the threshold together must
    # not grant the role twice.
    Membership.objects.select_for_update().filter(group=group, user=receiver).first()
    if policy.has_role(receiver, group, role, at=now):
        raise Conflict(
            _(
                "%(name)s already holds the role %(role)s. Trust can be given again when "
                "their term ends."
            )
            % {"name": receiver.display_name, "role": role.label}
        )
    try:
        with transaction.atomic():
            trust = Trust.objects.create(group=group, giver=giver, receiver=receiver, role=role)
    except IntegrityError:
        raise Conflict(
            _("You already trust %(name)s as %(role)s.")
            % {"name": receiver.display_name, "role": role.label}
        ) from None
    if threshold and selectors.pending_trust_count(group, receiver, role) >= threshold:
        _grant_by_trust(group=group, receiver=receiver, role=role, now=now)
        trust.refresh_from_db()
    if role == Role.HELPER:
        establish_if_ready(group=group, now=now)
    return trust


def _grant_by_trust(*, group: Group, receiver: User, role: Role, now: datetime) -> RoleTerm:
    days = selectors.group_settings(group).role_term_days
    term = _start_term(
        group=group,
        holder=receiver,
        role=role,
        source=TermSource.TRUST,
        starts_at=now,
        ends_at=now + timedelta(days=days),
    )
    Trust.objects.filter(
        group=group,
        receiver=receiver,
        role=role,
        spent_at__isnull=True,
        giver__memberships__group=group,
    ).update(spent_at=now, term=term)
    return term


def withdraw_trust(*, group: Group, giver: User, receiver: User, role: str) -> int:
    """Take back trust not yet spent; returns how many were withdrawn (0 or 1)."""
    deleted, _rows = Trust.objects.filter(
        group=group, giver=giver, receiver=receiver, role=role, spent_at__isnull=True
    ).delete()
    return deleted
