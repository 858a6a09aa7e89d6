"""Proposals: opening, editing and withdrawing them, positions and comments until the
deadline.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput, InvalidTransition, NotAllowed
from mutua.core.text import clean_text
from mutua.governance import policy, selectors
from mutua.governance.extensions import external_kinds
from mutua.governance.models import (
    Agreement,
    Comment,
    LogKind,
    Position,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalVersion,
    Stance,
)
from mutua.governance.services._common import (
    _clean_agreement,
    _log,
    _not_carried,
    _now,
    _schedule_round,
)
from mutua.governance.services.effects import _clean_effect
from mutua.groups.models import Group
from mutua.people.models import User

MIN_DAYS = 1
# A member proposed for removal needs time to see it and answer.
MIN_REMOVAL_DAYS = 3
MAX_DAYS = 90


def _clean_days(days: int, *, minimum: int) -> int:
    if isinstance(days, bool) or not minimum <= days <= MAX_DAYS:
        raise InvalidInput(
            _("Give members from %(min)d to %(max)d days to decide.")
            % {"min": minimum, "max": MAX_DAYS},
            field="days",
        )
    return days


def _clean_title(title: str) -> str:
    return clean_text(title, field="title", label=_("title"), limit=200, required=True)


def _clean_body(text: str) -> str:
    return clean_text(text, field="text", label=_("the proposal"), limit=10000, required=True)


@transaction.atomic
def open_proposal(
    *,
    group: Group,
    author: User,
    kind: str,
    title: str,
    text: str,
    days: int,
    role: str = "",
    subject: User | None = None,
    term_days: int | None = None,
    setting_key: str = "",
    setting_value: str = "",
    agreement: Agreement | None = None,
    agreement_title: str = "",
    agreement_text: str = "",
    other_group: Group | None = None,
    external: bool = False,
    now: datetime | None = None,
) -> Proposal:
    """Open a proposal for the group to decide within `days`. Any member may.

    Kinds another app carries out (mutua.governance.extensions) are opened only by that
    app, which passes `external=True` and links the proposal to what it will do."""
    policy.require_member(author, group)
    if kind not in ProposalKind.values:
        raise InvalidInput(_("Unknown kind of proposal: %(kind)s") % {"kind": kind}, field="kind")
    if (kind in external_kinds()) != external:
        raise InvalidInput(
            _("This kind of proposal is opened from the page of what it decides on."),
            field="kind",
        )
    proposal_kind = ProposalKind(kind)
    title = _clean_title(title)
    text = _clean_body(text)
    minimum = MIN_REMOVAL_DAYS if proposal_kind == ProposalKind.REMOVE_MEMBER else MIN_DAYS
    days = _clean_days(days, minimum=minimum)
    effect = _clean_effect(
        group=group,
        author=author,
        kind=proposal_kind,
        role=role,
        subject=subject,
        term_days=term_days,
        setting_key=setting_key,
        setting_value=setting_value,
        agreement=agreement,
        agreement_title=agreement_title,
        agreement_text=agreement_text,
        other_group=other_group,
    )
    rules = selectors.group_settings(group)
    now = _now(now)
    proposal = Proposal.objects.create(
        group=group,
        author=author,
        kind=proposal_kind,
        title=title,
        text=text,
        deadline=now + timedelta(days=days),
        created_at=now,
        rule=rules.decision_rule,
        min_agrees=rules.min_agrees,
        majority_percent=rules.majority_percent,
        second_round_days=rules.second_round_days,
        **asdict(effect),
    )
    _new_version(proposal, editor=author, at=now)
    _log(group, LogKind.PROPOSAL_OPENED, at=now, actor=author, proposal=proposal)
    if proposal_kind == ProposalKind.REMOVE_MEMBER:
        _log(
            group,
            LogKind.REMOVAL_PROPOSED,
            at=now,
            actor=author,
            subject=effect.subject,
            proposal=proposal,
        )
    _schedule_round(proposal, now=now)
    return proposal


def _new_version(proposal: Proposal, *, editor: User, at: datetime) -> ProposalVersion:
    return ProposalVersion.objects.create(
        group_id=proposal.group_id,
        proposal=proposal,
        number=proposal.version,
        title=proposal.title,
        text=proposal.text,
        agreement_title=proposal.agreement_title,
        agreement_text=proposal.agreement_text,
        editor=editor,
        created_at=at,
    )


def _lock(proposal: Proposal) -> Proposal:
    """The proposal's row, locked until the transaction ends, as it is now: a position
    and the closing pass never overlap."""
    return Proposal.objects.select_for_update().select_related("group").get(pk=proposal.pk)


def _require_open(proposal: Proposal, now: datetime) -> None:
    if not proposal.is_open:
        raise InvalidTransition(
            _("This proposal is closed: %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )
    if now >= proposal.deadline:
        raise InvalidTransition(_("The deadline has passed; the outcome is being counted."))


@transaction.atomic
def edit_proposal(
    *,
    proposal: Proposal,
    editor: User,
    title: str,
    text: str,
    agreement_title: str = "",
    agreement_text: str = "",
    now: datetime | None = None,
) -> Proposal:
    """Change the wording of an open proposal (its author, in the first round). Every
    version is kept; positions note the version they were taken on."""
    now = _now(now)
    locked = _lock(proposal)
    _require_open(locked, now)
    if not policy.may_edit(editor, locked):
        raise NotAllowed(_("Only the author can edit a proposal, and only in its first round."))
    title = _clean_title(title)
    text = _clean_body(text)
    if locked.kind == ProposalKind.AGREEMENT:
        agreement_title, agreement_text = _clean_agreement(agreement_title, agreement_text)
    else:
        agreement_title, agreement_text = "", ""
    wording = (title, text, agreement_title, agreement_text)
    if wording == (locked.title, locked.text, locked.agreement_title, locked.agreement_text):
        return locked
    locked.title, locked.text, locked.agreement_title, locked.agreement_text = wording
    locked.version += 1
    locked.save(update_fields=["title", "text", "agreement_title", "agreement_text", "version"])
    _new_version(locked, editor=editor, at=now)
    _log(locked.group, LogKind.PROPOSAL_EDITED, at=now, actor=editor, proposal=locked)
    return locked


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, member: User, now: datetime | None = None) -> Proposal:
    """The author takes back an open proposal; nothing is decided."""
    now = _now(now)
    locked = _lock(proposal)
    if not locked.is_open:
        raise InvalidTransition(_("This proposal is already closed."))
    if locked.author_id != member.pk:
        raise NotAllowed(_("Only the author can withdraw a proposal."))
    locked.status = ProposalStatus.WITHDRAWN
    locked.decided_at = now
    locked.save(update_fields=["status", "decided_at"])
    _log(locked.group, LogKind.PROPOSAL_WITHDRAWN, at=now, actor=member, proposal=locked)
    _not_carried(locked, now=now)
    return locked


@transaction.atomic
def take_position(
    *,
    proposal: Proposal,
    member: User,
    stance: str,
    reason: str = "",
    now: datetime | None = None,
) -> Position:
    """Take or change a position until the deadline. A block needs a reason."""
    now = _now(now)
    locked = _lock(proposal)
    policy.require_member(member, locked.group)
    if not policy.may_take_position(member, locked):
        if locked.kind == ProposalKind.REMOVE_MEMBER and locked.subject_id == member.pk:
            raise NotAllowed(
                _(
                    "This proposal is about you, so your position is not counted; "
                    "answer in the comments."
                )
            )
        raise NotAllowed(
            _(
                "You joined after this proposal opened: you can comment, but not take a "
                "position on it."
            )
        )
    _require_open(locked, now)
    if stance not in Stance.values:
        raise InvalidInput(_("Choose agree, abstain, disagree or block."), field="stance")
    reason = clean_text(reason, field="reason", label=_("reason"), limit=2000)
    if stance == Stance.BLOCK and not reason:
        raise InvalidInput(
            _("A block stops the proposal, so it needs a reason: say what is wrong."),
            field="reason",
        )
    position, _created = Position.objects.update_or_create(
        proposal=locked,
        member=member,
        defaults={
            "group_id": locked.group_id,
            "stance": stance,
            "reason": reason,
            "version": locked.version,
            "updated_at": now,
        },
    )
    return position


@transaction.atomic
def add_comment(
    *, proposal: Proposal, author: User, text: str, now: datetime | None = None
) -> Comment:
    """Comment on an open proposal: any member, including the one a removal is about."""
    now = _now(now)
    locked = _lock(proposal)
    policy.require_member(author, locked.group)
    _require_open(locked, now)
    text = clean_text(text, field="text", label=_("comment"), limit=4000, required=True)
    return Comment.objects.create(
        group_id=locked.group_id, proposal=locked, author=author, text=text, created_at=now
    )
