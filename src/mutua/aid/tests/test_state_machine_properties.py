"""Random sequences of moves by random people on several asks never break the invariants.

Hypothesis drives the real services against the database; a small model says which
moves must succeed and which must be refused (and how): claims by people the ward does
not trust, beyond the open-claim limit (M) or while claiming is paused after too many
releases following a reveal (R), the asker's yes or no when they approve their helper
first, and the safeguarding role restoring paused claiming. After every step these
invariants are checked against the database:
- at most one active claim per ask;
- an ask is claimed exactly when it has one active claim, held by the model's helper;
- done, cancelled and expired are final: nothing about a closed ask changes again (its
  status, last change, history and claims as the database had them when it closed);
- the history holds one event per successful move, in order;
- a helper sees an ask's details only while holding it, and never before the asker's yes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import cast

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)
from hypothesis.stateful import (
    run_state_machine_as_test as run,
)

from mutua.aid import services
from mutua.aid.disclosure import Channel
from mutua.aid.models import Ask, AskStatus, ClaimOutcome
from mutua.aid.policy import Actor
from mutua.aid.selectors import asker_key
from mutua.core.errors import DomainError, InvalidTransition, NotAllowed
from mutua.core.tests.factories import UserFactory, hold_role, make_ask, make_group, trusted
from mutua.governance.tests.factories import set_rules
from mutua.people.models import User
from mutua.privacy.services import reveal

PERSONAS = ("asker", "helper", "other_helper", "outsider")
HELPERS = ("helper", "other_helper")
MAX_OPEN = 2  # M, the ward's limit on open claims per helper
MAX_RELEASES = 1  # R, releases after a reveal before claiming is paused
# "link" is the asker without an account, acting through the private link to the ask.
ASKERS = ("asker", "link")
FINAL = {AskStatus.DONE, AskStatus.CANCELLED, AskStatus.EXPIRED}
persona = st.sampled_from(PERSONAS)
anyone = st.sampled_from((*PERSONAS, "link"))
pick = st.integers(min_value=0, max_value=1000)


def aiming_at(*statuses: str) -> st.SearchStrategy[str | None]:
    """Aim a move at an ask in one of these states, or (None) at any ask at all.

    Aiming keeps the moves that matter frequent; most random moves on random asks would
    be refusals on asks already closed.
    """
    return st.sampled_from((*statuses, None))


@dataclass
class Model:
    """What should be true of one ask, from the moves that succeeded."""

    pk: int
    status: str = AskStatus.OPEN
    holder: str | None = None  # who holds the active claim
    events: list[str] = field(default_factory=lambda: ["created"])
    claims: int = 0
    closed: tuple[object, ...] | None = None  # the ask as the database had it when it closed
    approve: bool = False  # the asker approves their helper first
    waiting: bool = False  # the active claim waits for the asker's yes
    revealed: bool = False  # the holder was shown the details during this claim
    declined: set[str] = field(default_factory=set)


class AskLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each example runs in its own savepoint and is rolled back at teardown, the way a
        # TestCase isolates tests, so examples never see each other's asks.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.people: dict[str, User | None] = {name: cast(User, UserFactory()) for name in PERSONAS}
        self.people["link"] = None
        self.models: dict[int, Model] = {}
        self.ward = make_group()
        set_rules(self.ward, max_open_claims=MAX_OPEN, max_releases=MAX_RELEASES)
        for name in HELPERS:
            trusted(self.ward, self.helper(name))
        self.guardian = trusted(self.ward, cast(User, UserFactory()))
        hold_role(self.ward, self.guardian, "safeguarding")
        # Releases after a reveal since claiming was last restored, per helper.
        self.releases: dict[str, int] = dict.fromkeys(HELPERS, 0)

    def helper(self, who: str) -> User:
        user = self.people[who]
        assert user is not None
        return user

    def actor(self, who: str, ask: Ask) -> Actor:
        """What the person can show: "link" holds the ask's private key, the others an account."""
        if who == "link":
            return Actor(key=asker_key(ask))
        return Actor(user=self.people[who])

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _attempt(
        self,
        model: Model,
        action: Callable[[Ask], object],
        *,
        allowed: bool,
        refusal: type[DomainError],
    ) -> bool:
        ask = Ask.objects.get(pk=model.pk)
        if allowed:
            action(ask)
            return True
        with pytest.raises(refusal) as refused:
            action(ask)
        assert refused.value.message
        return False

    def _pick(self, index: int, status: str | None) -> Model:
        everyone = list(self.models.values())
        aimed = [m for m in everyone if m.status == status]
        if not aimed and status == AskStatus.OPEN:
            # The board is never empty for long: someone new asks for help.
            return self._ask_for_help()
        pool = aimed or everyone
        return pool[index % len(pool)]

    def _ask_for_help(self, *, approve: bool = False) -> Model:
        ask = make_ask(asker=self.people["asker"], approve_helper=approve)
        model = Model(pk=ask.pk, approve=approve)
        self.models[model.pk] = model
        return model

    def _open_claims(self, who: str) -> int:
        return sum(1 for m in self.models.values() if m.holder == who)

    @initialize()
    def first_ask(self) -> None:
        self._ask_for_help()

    @rule(approve=st.booleans())
    def new_ask(self, approve: bool) -> None:
        self._ask_for_help(approve=approve)

    @rule(index=pick, status=aiming_at(AskStatus.OPEN), who=persona)
    def claim(self, index: int, status: str | None, who: str) -> None:
        model = self._pick(index, status)
        refusal: type[DomainError]
        may_take = (
            who in HELPERS
            and who not in model.declined
            and self._open_claims(who) < MAX_OPEN
            and self.releases[who] <= MAX_RELEASES
        )
        if model.status == AskStatus.CLAIMED and model.holder == who:
            # Taking an ask one already holds is answered as such, whatever the limits say:
            # "you have already taken this ask" is what that person needs to hear.
            allowed, refusal = False, InvalidTransition
        elif not may_take:
            # Who may take the ask is decided before whether it is still open.
            allowed, refusal = False, NotAllowed
        else:
            allowed, refusal = model.status == AskStatus.OPEN, InvalidTransition
        user = self.helper(who)
        if self._attempt(
            model,
            lambda ask: services.claim_ask(ask=ask, helper=user),
            allowed=allowed,
            refusal=refusal,
        ):
            model.status, model.holder = AskStatus.CLAIMED, who
            model.waiting, model.revealed = model.approve, False
            model.events.append("claimed")
            model.claims += 1

    @rule(index=pick, status=aiming_at(AskStatus.CLAIMED), who=persona)
    def look(self, index: int, status: str | None, who: str) -> None:
        """Someone opens the ask: only its holder, after any yes the asker owed, sees it."""
        model = self._pick(index, status)
        ask = Ask.objects.select_related("group").get(pk=model.pk)
        seen = reveal(viewer=Actor(user=self.helper(who)), ask=ask, channel=Channel.PAGE)
        expected = who == "asker" or (
            model.status == AskStatus.CLAIMED and who == model.holder and not model.waiting
        )
        assert seen.allowed == expected
        if seen.allowed and who == model.holder:
            model.revealed = True

    @rule(index=pick, status=aiming_at(AskStatus.CLAIMED), yes=st.booleans())
    def asker_answers(self, index: int, status: str | None, yes: bool) -> None:
        model = self._pick(index, status)
        answer = services.approve_helper if yes else services.decline_helper
        if not self._attempt(
            model,
            lambda ask: answer(ask=ask, actor=Actor(user=self.people["asker"])),
            allowed=model.waiting and model.status == AskStatus.CLAIMED,
            refusal=InvalidTransition,
        ):
            return
        model.waiting = False
        if yes:
            model.events.append("approved")
        else:
            assert model.holder is not None
            model.declined.add(model.holder)
            model.status, model.holder = AskStatus.OPEN, None
            model.events.append("declined")

    @rule(who=st.sampled_from(HELPERS))
    def safeguarding_restores(self, who: str) -> None:
        paused = self.releases[who] > MAX_RELEASES
        if paused:
            services.restore_claiming(group=self.ward, member=self.helper(who), by=self.guardian)
            self.releases[who] = 0
        else:
            with pytest.raises(InvalidTransition):
                services.restore_claiming(
                    group=self.ward, member=self.helper(who), by=self.guardian
                )

    @rule(index=pick, status=aiming_at(AskStatus.CLAIMED), who=persona)
    def release(self, index: int, status: str | None, who: str) -> None:
        model = self._pick(index, status)
        refusal: type[DomainError]
        if model.status != AskStatus.CLAIMED:
            allowed, refusal = False, InvalidTransition
        else:
            allowed, refusal = who == model.holder, NotAllowed
        user = self.helper(who)
        if self._attempt(
            model,
            lambda ask: services.release_ask(ask=ask, helper=user),
            allowed=allowed,
            refusal=refusal,
        ):
            if model.revealed:
                self.releases[who] += 1
            model.status, model.holder = AskStatus.OPEN, None
            model.waiting = model.revealed = False
            model.events.append("released")

    @rule(index=pick, status=aiming_at(AskStatus.CLAIMED), who=anyone)
    def done(self, index: int, status: str | None, who: str) -> None:
        model = self._pick(index, status)
        # The asker is whoever holds the account or the link.
        by_asker = who in ASKERS
        refusal: type[DomainError]
        if model.status != AskStatus.CLAIMED:
            allowed, refusal = False, InvalidTransition
        else:
            allowed, refusal = by_asker or who == model.holder, NotAllowed
        if self._attempt(
            model,
            lambda ask: services.complete_ask(ask=ask, actor=self.actor(who, ask)),
            allowed=allowed,
            refusal=refusal,
        ):
            model.status, model.holder = AskStatus.DONE, None
            model.waiting = False
            model.events.append("done")

    @rule(index=pick, status=aiming_at(AskStatus.OPEN, AskStatus.CLAIMED), who=anyone)
    def cancel(self, index: int, status: str | None, who: str) -> None:
        model = self._pick(index, status)
        by_asker = who in ASKERS
        refusal: type[DomainError]
        if not by_asker:
            allowed, refusal = False, NotAllowed
        else:
            allowed = model.status in (AskStatus.OPEN, AskStatus.CLAIMED)
            refusal = InvalidTransition
        if self._attempt(
            model,
            lambda ask: services.cancel_ask(ask=ask, actor=self.actor(who, ask)),
            allowed=allowed,
            refusal=refusal,
        ):
            model.status, model.holder = AskStatus.CANCELLED, None
            model.waiting = False
            model.events.append("cancelled")

    @rule(index=pick, status=aiming_at(AskStatus.OPEN, AskStatus.CLAIMED))
    def time_passes_beyond_expiry(self, index: int, status: str | None) -> None:
        model = self._pick(index, status)
        ask = Ask.objects.get(pk=model.pk)
        due = Ask.objects.filter(pk=model.pk)
        due.update(expires_at=ask.created_at)
        # Only this ask is due at this moment; the others expire days later.
        expired = services.expire_asks(now=ask.created_at + timedelta(seconds=1))
        if model.status == AskStatus.OPEN:
            assert expired == 1
            model.status = AskStatus.EXPIRED
            model.events.append("expired")
        else:
            assert expired == 0
            # Not due any more, so that it cannot expire along with another ask later.
            due.update(expires_at=ask.expires_at)

    @invariant()
    def database_matches_the_model(self) -> None:
        asks = list(Ask.objects.filter(pk__in=self.models).prefetch_related("claims", "events"))
        assert len(asks) == len(self.models)
        for ask in asks:
            model = self.models[ask.pk]
            claims = list(ask.claims.all())
            active = [c for c in claims if c.outcome == ClaimOutcome.ACTIVE]
            assert len(active) <= 1
            assert (ask.status == AskStatus.CLAIMED) == (len(active) == 1)
            assert ask.status == model.status
            if model.holder is not None:
                assert active[0].helper_id == self.helper(model.holder).pk
                assert (active[0].approval == "waiting") == model.waiting
            assert len(claims) == model.claims
            events = [e.kind for e in ask.events.all()]
            assert events == model.events
            # Once closed, nothing about the ask moves again.
            seen = (ask.status, ask.updated_at, len(events), len(claims))
            if model.closed is not None:
                assert seen == model.closed
            elif ask.status in FINAL:
                model.closed = seen


@pytest.mark.django_db
def test_random_moves_by_random_people_keep_every_ask_consistent():
    run(
        AskLifecycle,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
