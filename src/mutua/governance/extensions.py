"""Proposal kinds whose effect belongs to an app above governance, registered at start-up.

Governance decides; what a passed proposal of such a kind does lives in the app that owns
the data (a payment from the ledger lives in `resources`). That app registers the effect
in its AppConfig.ready(). Either it opens the proposals itself, with `external=True` (it
links the proposal to what it pays; `exchange` links it to the place names a member uploaded),
or members open them from the proposal form and the
app registers how to check the value they type (automatic dispatch rounds, in
`matching`). The effect runs inside the transaction that closes the proposal, so a
payment and the outcome are saved together or not at all; an effect that can no longer
be done raises `EffectRefused` and the proposal is recorded as passed but not carried out.
An app may also register what follows when such a proposal does not pass or is withdrawn
(an incident a dispatcher opened in an emergency closes when the group does not confirm
it); that runs in the same transaction as the outcome too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mutua.governance.models import Proposal

Effect = Callable[[Proposal, datetime], None]
# The value a member typed on the proposal form -> as stored in `Proposal.setting_value`;
# raises core.errors.InvalidInput (field "setting_value") saying what is wrong.
Clean = Callable[[str], str]

_effects: dict[str, Effect] = {}
_cleaners: dict[str, Clean] = {}
_not_carried: dict[str, Effect] = {}


class EffectRefused(Exception):
    """The effect cannot be carried out any more; `reason` is written to the group log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def register_effect(
    kind: str,
    effect: Effect,
    *,
    clean: Clean | None = None,
    not_carried: Effect | None = None,
) -> None:
    """`effect(proposal, now)` carries out a passed proposal of `kind`. For a kind members
    open from the proposal form (not in `external_kinds`), `clean` checks the value they
    typed when the proposal opens, so members decide on something that can be done.
    `not_carried(proposal, now)`, if given, runs when one does not pass or is withdrawn."""
    _effects[kind] = effect
    if clean is not None:
        _cleaners[kind] = clean
    if not_carried is not None:
        _not_carried[kind] = not_carried


def effect_for(kind: str) -> Effect | None:
    return _effects.get(kind)


def cleaner_for(kind: str) -> Clean | None:
    return _cleaners.get(kind)


def not_carried_for(kind: str) -> Effect | None:
    return _not_carried.get(kind)


def external_kinds() -> frozenset[str]:
    """Kinds carried out by another app, which only that app opens."""
    from mutua.governance.models import ProposalKind

    # CHANGE_AREA is governance's own, but like these it is opened only from the page that
    # holds what it decides on (the group's area page, with the drawn area).
    return frozenset(
        {
            ProposalKind.SPEND,
            ProposalKind.PLACE_NAMES,
            ProposalKind.CHANGE_AREA,
            ProposalKind.INCIDENT,
        }
    )


def carried_out_elsewhere() -> frozenset[str]:
    """Every kind another app carries out: those it opens, and those members open from the
    proposal form (automatic dispatch rounds, by matching)."""
    from mutua.governance.models import ProposalKind

    return external_kinds() | {ProposalKind.DISPATCH_ROUNDS}
