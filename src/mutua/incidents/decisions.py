"""What incidents does for the group's decisions (registered with governance.extensions
in IncidentsConfig.ready(), since governance is below incidents and cannot import it): a
passed incident proposal opens or confirms the incident; one that does not pass leaves a
proposed incident unopened and closes one a dispatcher opened at once."""

from __future__ import annotations

from datetime import datetime

from mutua.governance.models import Proposal
from mutua.incidents.services import lifecycle


def carry_out(proposal: Proposal, now: datetime) -> None:
    lifecycle.carry_out(proposal=proposal, now=now)


def not_carried(proposal: Proposal, now: datetime) -> None:
    lifecycle.not_carried(proposal=proposal, now=now)
