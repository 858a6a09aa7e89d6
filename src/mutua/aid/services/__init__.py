"""Writes for asks, claims and offers, by subdomain: `asks` records them, `lifecycle`
moves an ask through its states (claim, release, done, cancel, expire), `offers` keeps
what members can give, `handon` passes an ask to another group (`across`, to a linked
server, shares its checks and log), `safeguards` bounds access to askers' details
(reveals noted, the asker's yes or no to a helper, paused claiming restored). Each public
function is one transaction.

The package's public functions are gathered here, so callers write `services.claim_ask`.
"""

from __future__ import annotations

from mutua.aid.services.asks import (
    CONSENT_TEXT,
    AskDraft,
    AsksRefused,
    DuplicateAsk,
    create_ask,
    create_asks,
)
from mutua.aid.services.handon import pass_overdue, pass_to_group
from mutua.aid.services.lifecycle import (
    cancel_ask,
    claim_ask,
    complete_ask,
    expire_asks,
    release_ask,
)
from mutua.aid.services.offers import (
    answer_offer,
    create_offer,
    release_offered_ask,
    release_offered_asks,
    withdraw_offer,
)
from mutua.aid.services.safeguards import (
    approve_helper,
    ask_to_approve,
    decline_helper,
    note_reveal,
    restore_claiming,
)

__all__ = [
    "CONSENT_TEXT",
    "AskDraft",
    "AsksRefused",
    "DuplicateAsk",
    "answer_offer",
    "approve_helper",
    "ask_to_approve",
    "cancel_ask",
    "claim_ask",
    "complete_ask",
    "create_ask",
    "create_asks",
    "create_offer",
    "decline_helper",
    "expire_asks",
    "note_reveal",
    "pass_overdue",
    "pass_to_group",
    "release_ask",
    "release_offered_ask",
    "release_offered_asks",
    "restore_claiming",
    "withdraw_offer",
]
