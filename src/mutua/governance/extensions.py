"""Proposal kinds whose effect belongs to an app above governance, registered at start-up.

Governance decides; what a passed proposal of such a kind does lives in the app that owns
the data (a payment from the ledger lives in `resources`). That app registers the effect
in its AppConfig.ready() and opens the proposals itself, with `external=True` (it links
the proposal to what it pays). The effect runs inside the transaction that closes the
proposal, so a payment and the outcome are saved together or not at all; an effect that
can no longer be done raises `EffectRefused` and the proposal is recorded as passed but
not carried out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mutua.governance.models import Proposal

Effect = Callable[[Proposal, datetime], None]

_effects: dict[str, Effect] = {}


class EffectRefused(Exception):
    """The effect cannot be carried out any more; `reason` is written to the group log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def register_effect(kind: str, effect: Effect) -> None:
    """`effect(proposal, now)` carries out a passed proposal of `kind`."""
    _effects[kind] = effect


def effect_for(kind: str) -> Effect | None:
    return _effects.get(kind)


def external_kinds() -> frozenset[str]:
    """Kinds carried out by another app, which only that app opens."""
    from mutua.governance.models import ProposalKind

    return frozenset({ProposalKind.SPEND})
