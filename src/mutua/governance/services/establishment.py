"""Establishment: when a group starts to receive the asks routed to its area.

Founding a group is open to anyone, so founding alone must not divert a neighbourhood's
asks, with the askers' addresses, to whoever founded it. A group is established once at
least MUTUA_ESTABLISH_TRUSTED of its members are trusted with asks and, where its area
overlaps an established group's, that group (or a group containing it) agreed by a
decision. Until then routing passes it by and asks keep going where they went.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from mutua.governance.models import LogKind
from mutua.governance.selectors import taking
from mutua.governance.services._common import _log, _now
from mutua.groups.models import Group


def establish_if_ready(*, group: Group, now: datetime | None = None) -> bool:
    """Establish the group if it now meets both conditions; True if it is established.
    Safe to call any number of times: establishment happens once and is logged once."""
    if group.established_at is not None:
        return True
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        if locked.established_at is not None:
            group.established_at = locked.established_at
            return True
        if taking.trusted_count(locked) < int(settings.MUTUA_ESTABLISH_TRUSTED):
            return False
        if taking.overlaps_waiting(locked):
            return False
        now = _now(now)
        Group.objects.filter(pk=locked.pk).update(established_at=now)
        group.established_at = now
        _log(locked, LogKind.GROUP_ESTABLISHED, at=now)
    return True
