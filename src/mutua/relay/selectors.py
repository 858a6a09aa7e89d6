"""Reads: the conversation a person may see on an ask, and the reply addresses of a
conversation's e-mails."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, Claim, ClaimOutcome
from mutua.aid.policy import Actor, is_asker
from mutua.core.errors import NotAllowed
from mutua.relay.models import RelayMessage, Side
from mutua.relay.policy import side_of

_REPLY_SALT = "mutua.relay.reply-address"
# Only the two people of a claim are written to; a dispatcher writes on the page or API.
_SIDE_LETTER = {Side.ASKER: "a", Side.HELPER: "h"}
_LETTER_SIDE = {letter: side for side, letter in _SIDE_LETTER.items()}


@dataclass(frozen=True)
class Conversation:
    """What one person sees of an ask's conversation: the claim it belongs to (None
    before anyone took the ask), the side they are on, whether it is still open, and its
    messages oldest first."""

    ask: Ask
    claim: Claim | None
    side: Side
    messages: list[RelayMessage] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.claim is not None and self.claim.outcome == ClaimOutcome.ACTIVE


def not_a_party() -> NotAllowed:
    return NotAllowed(
        _(
            "Only the person who asked, the helper who took the ask and the group's "
            "dispatchers can read or write these messages."
        )
    )


def messages_of(claim: Claim) -> list[RelayMessage]:
    return list(
        RelayMessage.objects.filter(claim=claim)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )


def conversation(*, ask: Ask, actor: Actor) -> Conversation:
    """The conversation `actor` may see on `ask`: a helper, their own latest claim on it;
    the person who asked, the active claim's (or the last one's); a dispatcher, the active
    claim's only. Anyone else is refused (NotAllowed)."""
    claims = (
        Claim.objects.filter(ask=ask)
        .select_related("ask__group", "helper")
        .order_by("-claimed_at", "-pk")
    )
    account = actor.account
    if account is not None:
        own = claims.filter(helper=account).first()
        if own is not None:
            return Conversation(ask, own, Side.HELPER, messages_of(own))
    active = claims.filter(outcome=ClaimOutcome.ACTIVE).first()
    if is_asker(ask, actor):
        claim = active or claims.first()
        return Conversation(ask, claim, Side.ASKER, messages_of(claim) if claim else [])
    if active is not None and side_of(claim=active, actor=actor) == Side.DISPATCHER:
        return Conversation(ask, active, Side.DISPATCHER, messages_of(active))
    raise not_a_party()


def _signature(claim_id: int, side: str) -> str:
    return salted_hmac(_REPLY_SALT, f"{claim_id}:{side}").hexdigest()[:20]


def reply_address(*, claim: Claim, side: Side) -> str:
    """The address a person on `side` answers the conversation's e-mails at, or "" when
    the server takes no replies by e-mail (MUTUA_RELAY_REPLY_DOMAIN is empty). The
    address is signed: knowing one conversation's address gives no other."""
    domain = str(settings.MUTUA_RELAY_REPLY_DOMAIN)
    if not domain or side not in _SIDE_LETTER:
        return ""
    return f"relay-{claim.pk}{_SIDE_LETTER[side]}-{_signature(claim.pk, side)}@{domain}"


def claim_for_reply(address: str) -> tuple[Claim, Side] | None:
    """The claim and side a reply address stands for, or None when it is not one (or its
    signature is wrong). The domain is not checked: the mail server already routed it."""
    local = address.strip().strip("<>").rsplit("@", 1)[0].lower()
    local = local.split("+", 1)[-1]  # "relay+relay-12h-..." when routed by sub-address
    parts = local.split("-")
    if len(parts) != 3 or parts[0] != "relay" or len(parts[1]) < 2:
        return None
    number, letter, signature = parts[1][:-1], parts[1][-1], parts[2]
    side = _LETTER_SIDE.get(letter)
    if side is None or not number.isdigit():
        return None
    if not constant_time_compare(signature, _signature(int(number), side)):
        return None
    claim = Claim.objects.select_related("ask__group", "helper").filter(pk=int(number)).first()
    return (claim, side) if claim is not None else None
