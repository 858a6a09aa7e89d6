"""Writes: relaying a message (from the page, the API, a text or an e-mail reply), and
forgetting conversations when privacy erases an ask's details or a person's account."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, Claim, ClaimOutcome
from mutua.aid.policy import Actor, is_asker
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.people.models import User
from mutua.relay import events, scrub
from mutua.relay.models import MAX_BODY, RelayMessage, Side, Via
from mutua.relay.policy import side_of
from mutua.relay.selectors import claim_for_reply, not_a_party


def _clean(body: str) -> str:
    text = body.replace("\x00", "").strip()
    if not text:
        raise InvalidInput(_("Write a message first."), field="body")
    if len(text) > MAX_BODY:
        raise InvalidInput(
            _("A message can be at most %(n)d characters.") % {"n": MAX_BODY}, field="body"
        )
    return text


def _scrubbed(claim: Claim, text: str) -> str:
    ask = claim.ask
    known = [ask.contact_phone, ask.contact_email, claim.helper.email]
    if ask.asker is not None:
        known.append(ask.asker.email)
    return scrub.scrub(text, known=known, addresses=[ask.address], mark=_("[contact removed]"))


def _write(*, claim: Claim, side: Side, author: User | None, body: str, via: Via) -> RelayMessage:
    message = RelayMessage.objects.create(
        claim=claim,
        ask=claim.ask,
        group=claim.ask.group,
        side=side,
        author=author,
        body=_scrubbed(claim, _clean(body)),
        via=via,
    )
    events.announce(message.pk)
    return message


def _closed() -> Conflict:
    return Conflict(
        _(
            "Nobody holds this ask now, so there is no conversation to write to: it closed "
            "when the claim ended."
        )
    )


@transaction.atomic
def post_message(*, ask: Ask, actor: Actor, body: str, via: Via) -> RelayMessage:
    """Relay `body` from `actor` into the conversation of the ask's active claim.

    Only its helper, the person who asked and the group's dispatchers may write
    (NotAllowed for anyone else); once the claim has ended the conversation is closed
    (Conflict). Phone numbers, e-mail addresses and the ask's address are taken out of
    the body before it is stored or sent on. The other side is told after commit
    (relay.events), by whichever way they chose to hear from the group.
    """
    claim = (
        # Only this row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join that select_related makes for an optional relation.
        Claim.objects.select_for_update(of=("self",))
        .select_related("ask__group", "ask__asker", "helper")
        .filter(ask=ask, outcome=ClaimOutcome.ACTIVE)
        .first()
    )
    if claim is None:
        account = actor.account
        was_helper = account is not None and ask.claims.filter(helper=account).exists()
        if was_helper or is_asker(ask, actor):
            raise _closed()
        raise not_a_party()
    side = side_of(claim=claim, actor=actor)
    if side is None:
        raise not_a_party()
    author = actor.account if side != Side.ASKER else (ask.asker or actor.account)
    return _write(claim=claim, side=side, author=author, body=body, via=via)


@transaction.atomic
def post_email_reply(*, address: str, body: str) -> RelayMessage:
    """Relay an e-mail reply sent to a conversation's reply address (the address stands
    for the claim and the side, and is signed: see relay.selectors.reply_address)."""
    found = claim_for_reply(address)
    if found is None:
        raise NotAllowed(_("This is not a conversation's reply address."))
    claim, side = found
    claim = (
        # Only this row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join that select_related makes for an optional relation.
        Claim.objects.select_for_update(of=("self",))
        .select_related("ask__group", "ask__asker", "helper")
        .get(pk=claim.pk)
    )
    if claim.outcome != ClaimOutcome.ACTIVE:
        raise _closed()
    author = {Side.HELPER: claim.helper, Side.ASKER: claim.ask.asker}.get(side)
    return _write(claim=claim, side=side, author=author, body=body, via=Via.EMAIL)


def forget_ask(ask: Ask) -> None:
    """Delete every conversation about the ask (privacy.erasure, in privacy's transaction)."""
    RelayMessage.objects.filter(ask=ask).delete()


def forget_person(user: User) -> None:
    """Delete the messages the person wrote (privacy.erasure, in privacy's transaction)."""
    RelayMessage.objects.filter(author=user).delete()
