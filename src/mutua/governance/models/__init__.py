"""Horizontal governance: proposals and positions, rotating roles with terms, trust,
agreements, and the group log. Nothing here is a permanent admin: every role row has an end.

Every table carries the group id, so that a sharded database keeps a group's rows together.
"""

from __future__ import annotations

# Kept in this order (each module imports only the ones above it) so that Django registers
# the models in the order they had when they were one module.
# isort: off
from mutua.governance.models.group_settings import (
    CATEGORY_CHOICES,
    DecisionRule,
    GroupSettings,
    PageLanguage,
    ROLE_DUTIES,
    Role,
    SETTINGS,
    SENSITIVE_ROLES,
    SettingSpec,
    TAKE_RULE_ORDER,
    TakeRule,
    TRUST_FIELDS,
    YesNo,
    setting_display,
    split_categories,
)
from mutua.governance.models.roles import RoleTerm, TermSource, TermStatus, Trust
from mutua.governance.models.proposals import (
    Comment,
    EffectProblem,
    Position,
    Proposal,
    ProposalKind,
    ProposalQuerySet,
    ProposalStatus,
    ProposalVersion,
    Stance,
)
from mutua.governance.models.agreements import Agreement, AgreementVersion
from mutua.governance.models.log import LogEntry, LogKind
from mutua.governance.models.areas import AreaProposal
# isort: on

__all__ = [
    "CATEGORY_CHOICES",
    "ROLE_DUTIES",
    "SENSITIVE_ROLES",
    "SETTINGS",
    "TAKE_RULE_ORDER",
    "TRUST_FIELDS",
    "Agreement",
    "AgreementVersion",
    "AreaProposal",
    "Comment",
    "DecisionRule",
    "EffectProblem",
    "GroupSettings",
    "LogEntry",
    "LogKind",
    "PageLanguage",
    "Position",
    "Proposal",
    "ProposalKind",
    "ProposalQuerySet",
    "ProposalStatus",
    "ProposalVersion",
    "Role",
    "RoleTerm",
    "SettingSpec",
    "Stance",
    "TakeRule",
    "TermSource",
    "TermStatus",
    "Trust",
    "YesNo",
    "setting_display",
    "split_categories",
]
