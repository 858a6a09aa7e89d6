"""Writes for governance: founding a group, proposals and positions, the deadline pass,
roles and trust. Each public function is one transaction.

A role row is created in exactly one place, `_terms._start_term`, reached only from a
passed proposal (`outcomes._grant_by_decision`), from trust reaching the group's threshold
(`trust._grant_by_trust`), from founding a group (`founding.found_group`, the bootstrap
term, which never holds a role that sees anyone's details) and from the server's operator
seating trusted helpers (`operator.trust_by_operator`, from `mutua createuser --trusted`);
a test reads this package to keep it so.
"""

from __future__ import annotations

from mutua.governance.services._common import REMINDER_BEFORE
from mutua.governance.services.due import DuePass, expire_roles, remind_near_deadlines, run_due
from mutua.governance.services.effects import MAX_TERM_DAYS, parse_setting
from mutua.governance.services.establishment import establish_if_ready
from mutua.governance.services.founding import BOOTSTRAP_ROLES, RESERVED_SLUGS, found_group
from mutua.governance.services.history import record_in_history
from mutua.governance.services.log import announce
from mutua.governance.services.operator import trust_by_operator
from mutua.governance.services.outcomes import close_proposal
from mutua.governance.services.proposals import (
    MAX_DAYS,
    MIN_DAYS,
    MIN_REMOVAL_DAYS,
    add_comment,
    edit_proposal,
    open_proposal,
    take_position,
    withdraw_proposal,
)
from mutua.governance.services.trust import give_trust, withdraw_trust

__all__ = [
    "BOOTSTRAP_ROLES",
    "MAX_DAYS",
    "MAX_TERM_DAYS",
    "MIN_DAYS",
    "MIN_REMOVAL_DAYS",
    "REMINDER_BEFORE",
    "RESERVED_SLUGS",
    "DuePass",
    "add_comment",
    "announce",
    "close_proposal",
    "edit_proposal",
    "establish_if_ready",
    "expire_roles",
    "found_group",
    "give_trust",
    "open_proposal",
    "parse_setting",
    "record_in_history",
    "remind_near_deadlines",
    "run_due",
    "take_position",
    "trust_by_operator",
    "withdraw_proposal",
    "withdraw_trust",
]
