"""What matching does for the group's decisions: a passed "dispatch-rounds" proposal turns
the group's automatic dispatch rounds on or off. Registered with governance.extensions in
MatchingConfig.ready(), since governance is below matching and cannot import it."""

from __future__ import annotations

import re
from datetime import datetime

from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput
from mutua.governance.models import Proposal
from mutua.matching import services

_MINUTES = re.compile(r"[0-9]{1,5}")


def clean_every(value: str) -> str:
    """The minutes between rounds as typed, checked and written as stored ("0": off)."""
    text = value.strip()
    message = _("Give the minutes between rounds: %(min)d to %(max)d, or 0 to turn them off.") % {
        "min": services.MIN_ROUND_MINUTES,
        "max": services.MAX_ROUND_MINUTES,
    }
    if not _MINUTES.fullmatch(text):
        raise InvalidInput(message, field="setting_value")
    minutes = int(text)
    if minutes and not services.MIN_ROUND_MINUTES <= minutes <= services.MAX_ROUND_MINUTES:
        raise InvalidInput(message, field="setting_value")
    return str(minutes)


def carry_out(proposal: Proposal, now: datetime) -> None:
    services.set_round_schedule(
        group=proposal.group,
        every_minutes=int(proposal.setting_value),
        proposal=proposal,
        now=now,
    )
