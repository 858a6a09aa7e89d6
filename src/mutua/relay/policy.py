"""Who takes part in a claim's conversation: the helper of that claim, the person who
asked (account, private key or the phone they asked from), and, while the claim is
active, whoever may dispatch the ask's group. Nobody else, whatever their role."""

from __future__ import annotations

from mutua.aid.models import Claim, ClaimOutcome
from mutua.aid.policy import Actor, is_asker
from mutua.governance.policy import may_dispatch
from mutua.relay.models import Side


def side_of(*, claim: Claim, actor: Actor) -> Side | None:
    """The side `actor` writes and reads as in the claim's conversation, or None."""
    account = actor.account
    if account is not None and claim.helper_id == account.pk:
        return Side.HELPER
    if is_asker(claim.ask, actor):
        return Side.ASKER
    group = claim.ask.group
    if (
        claim.outcome == ClaimOutcome.ACTIVE
        and account is not None
        and group is not None
        and may_dispatch(account, group)
    ):
        return Side.DISPATCHER
    return None
