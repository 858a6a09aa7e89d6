"""Every state change of an ask is announced to other apps, once committed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.aid import services
from mutua.aid.events import AskChange, ask_changed
from mutua.aid.models import AskEvent
from mutua.aid.policy import Actor
from mutua.aid.services import across
from mutua.core.errors import NotAllowed
from mutua.core.tests.factories import HACKNEY, OfferFactory, make_ask, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[tuple[int, str]]]:
    news: list[tuple[int, str]] = []

    def listen(change: AskChange) -> None:
        news.append((change.ask_id, change.kind))

    ask_changed.register(listen)
    yield news
    ask_changed.unregister(listen)


def test_each_move_of_an_ask_is_announced_with_its_kind(
    heard, asker, helper, other_helper, django_capture_on_commit_callbacks
):
    neighbours = make_group(
        name="Islington", slug="islington", center=(51.5465, -0.1058), radius_km=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        taken = make_ask(asker=asker)
        services.claim_ask(ask=taken, helper=helper)
        services.release_ask(ask=taken, helper=helper)
        services.claim_ask(ask=taken, helper=other_helper)
        services.complete_ask(ask=taken, actor=Actor(user=other_helper))
        withdrawn = make_ask(asker=asker)
        services.cancel_ask(ask=withdrawn, actor=Actor(user=asker))
        forgotten = make_ask()
        services.expire_asks(now=timezone.now() + timedelta(days=365))
        chosen = make_ask(asker=asker, approve_helper=True)
        services.claim_ask(ask=chosen, helper=helper)
        services.decline_helper(ask=chosen, actor=Actor(user=asker))
        services.claim_ask(ask=chosen, helper=other_helper)
        services.approve_helper(ask=chosen, actor=Actor(user=asker))
        away = make_ask()
        across.send_across(ask=away, actor=None)
        across.returned_across(ask=away)
        passed = make_ask()
        services.pass_to_group(ask=passed, to_group=neighbours, actor=None)
        answer = services.answer_offer(
            offer=OfferFactory.create(member=helper),
            asker=asker,
            what="Bread",
            lat=HACKNEY[0],
            lon=HACKNEY[1],
            consent=True,
        )
        services.release_offered_ask(ask=answer)

    assert heard == [
        (taken.pk, "created"),
        (taken.pk, "claimed"),
        (taken.pk, "released"),
        (taken.pk, "claimed"),
        (taken.pk, "done"),
        (withdrawn.pk, "created"),
        (withdrawn.pk, "cancelled"),
        (forgotten.pk, "created"),
        (forgotten.pk, "expired"),
        (chosen.pk, "created"),
        (chosen.pk, "claimed"),
        (chosen.pk, "declined"),
        (chosen.pk, "claimed"),
        (chosen.pk, "approved"),
        (away.pk, "created"),
        (away.pk, "handed-on"),
        (away.pk, "returned"),
        (passed.pk, "created"),
        (passed.pk, "passed"),
        (answer.pk, "created"),
        (answer.pk, "to-board"),
    ]
    assert {kind for _, kind in heard} == set(AskEvent.Kind.values)


def test_nothing_is_announced_for_a_move_that_was_refused(
    heard, asker, helper, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask = make_ask(asker=asker)
        services.claim_ask(ask=ask, helper=helper)
        with pytest.raises(NotAllowed):
            services.release_ask(ask=ask, helper=outsider)
        with pytest.raises(NotAllowed):
            services.claim_ask(ask=ask, helper=outsider)

    assert [kind for _, kind in heard] == ["created", "claimed"]
