"""Writes for dispatch: running it, and a helper's answer to a suggestion.

A suggestion's life:

    pending --accept--> accepted     (the ask is claimed for the helper)
    pending --decline--> declined    (the ask goes back to the pool; never to them again)
    pending --timeout--> expired     (at the next run; the ask goes back to the pool)
    pending --ask taken or closed--> superseded

The decisions are kept as rows (who, when) and logged, so a group can see what
dispatch did and who answered.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskStatus, Claim
from mutua.aid.services import claim_ask
from mutua.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from mutua.groups.models import Group
from mutua.matching import adapter, selectors
from mutua.matching.engine import EngineInputError
from mutua.matching.models import (
    DispatchRun,
    Suggestion,
    SuggestionStatus,
    UnmatchedAsk,
)
from mutua.people.models import User

logger = logging.getLogger(__name__)

_DECIDED_MESSAGES = {
    SuggestionStatus.ACCEPTED: "You have already accepted this ask.",
    SuggestionStatus.DECLINED: "You have already said no to this ask.",
    SuggestionStatus.EXPIRED: "This suggestion timed out and the ask went back to the group.",
    SuggestionStatus.SUPERSEDED: "This ask does not need you any more: it was taken or closed.",
}


def expire_suggestions(*, now: datetime | None = None) -> int:
    """Time out pending suggestions past their answer time; returns how many.

    Their asks go back into the pool for the next run, and the helpers' capacity is free
    again. Safe to run any number of times.
    """
    now = now or timezone.now()
    return Suggestion.objects.filter(status=SuggestionStatus.PENDING, expires_at__lte=now).update(
        status=SuggestionStatus.EXPIRED, decided_at=now
    )


def _supersede_closed(now: datetime) -> int:
    """End pending suggestions whose ask was taken from the board, cancelled or closed."""
    return (
        Suggestion.objects.filter(status=SuggestionStatus.PENDING)
        .exclude(ask__status=AskStatus.OPEN)
        .update(status=SuggestionStatus.SUPERSEDED, decided_at=now)
    )


def run_dispatch(*, groups: list[Group], actor: User | None = None) -> DispatchRun:
    """Match the open asks of `groups` to their available members and write suggestions.

    `groups[0]` is the group the run is for (see selectors.groups_for_dispatch). Timed-out
    suggestions are expired first, so their asks are in this run. Everything the run writes
    is one transaction; runs over overlapping groups wait for each other.
    """
    if not groups:
        raise InvalidInput(_("Choose a group to dispatch for."))
    started = time.perf_counter()
    now = timezone.now()
    expire_suggestions(now=now)
    _supersede_closed(now)
    expires_at = now + timedelta(minutes=settings.MUTUA_PROPOSAL_TIMEOUT_MINUTES)
    with transaction.atomic():
        # Lock the groups' rows (in one order, so runs cannot deadlock): a second run over
        # any of them waits, and cannot propose an ask this run is proposing.
        list(
            Group.objects.select_for_update()
            .filter(pk__in=[g.pk for g in groups])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        pool = adapter.load_pool(groups=groups, now=now)
        try:
            result = adapter.plan(pool)
        except EngineInputError as exc:
            # The services validate what they store, so this means a bad row slipped in.
            raise InvalidInput(
                _("Dispatch could not read the asks and members: %(error)s") % {"error": exc}
            ) from exc
        unmatched = Counter(reason.value for _ask, _group, reason in result.unmatched)
        run = DispatchRun.objects.create(
            group=groups[0],
            actor=actor,
            asks_considered=len(pool.ask_ids) + len(pool.untranslatable),
            helpers_considered=len(pool.helper_ids),
            proposed=len(result.matches),
            unmatched=dict(unmatched),
        )
        run.groups.set(groups)
        Suggestion.objects.bulk_create(
            Suggestion(
                run=run,
                group_id=m.group_id,
                ask_id=m.ask_id,
                helper_id=m.helper_id,
                distance_km=m.distance_km,
                expires_at=expires_at,
            )
            for m in result.matches
        )
        UnmatchedAsk.objects.bulk_create(
            UnmatchedAsk(run=run, group_id=group_id, ask_id=ask_id, reason=reason)
            for ask_id, group_id, reason in result.unmatched
        )
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["seconds"])
    logger.info(
        "dispatch run %s for group %s by user %s: %s asks, %s helpers, %s proposed, %.2f s",
        run.pk,
        groups[0].slug,
        actor.pk if actor else None,
        run.asks_considered,
        run.helpers_considered,
        run.proposed,
        run.seconds,
    )
    return run


def _lock_pending(suggestion: Suggestion, helper: User) -> None:
    """Check the suggestion is the helper's and still pending, holding its row till commit."""
    if suggestion.helper_id != helper.pk:
        raise NotAllowed(_("This suggestion was made to someone else."))
    status = (
        Suggestion.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=suggestion.pk)
    )
    if status != SuggestionStatus.PENDING:
        suggestion.status = status
        raise InvalidTransition(_(_DECIDED_MESSAGES[SuggestionStatus(status)]))


def _decide(suggestion: Suggestion, status: SuggestionStatus) -> None:
    suggestion.status = status
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_at"])


def accept_suggestion(*, suggestion: Suggestion, helper: User) -> Claim:
    """Say yes to a suggestion: the ask is claimed for the helper, atomically.

    If the ask was taken or closed meanwhile, the suggestion is marked superseded and
    Conflict says what happened.
    """
    refused: Conflict | None = None
    with transaction.atomic():
        _lock_pending(suggestion, helper)
        try:
            # claim_ask is atomic itself: when it refuses, it has written nothing.
            claim = claim_ask(ask=suggestion.ask, helper=helper)
        except Conflict as exc:
            refused = exc
            _decide(suggestion, SuggestionStatus.SUPERSEDED)
        else:
            _decide(suggestion, SuggestionStatus.ACCEPTED)
    # Raised after the commit, so that the suggestion stays marked superseded.
    if refused is not None:
        logger.info("suggestion %s superseded: ask %s was taken", suggestion.pk, suggestion.ask_id)
        raise Conflict(refused.message)
    logger.info("suggestion %s accepted by user %s", suggestion.pk, helper.pk)
    return claim


def take_ask(*, ask: Ask, helper: User) -> Claim:
    """The helper says yes to an ask: to the suggestion dispatch made them for it if one is
    waiting for their answer, else by claiming it from the board."""
    suggestion = selectors.pending_suggestion(ask=ask, helper=helper)
    if suggestion is not None:
        return accept_suggestion(suggestion=suggestion, helper=helper)
    return claim_ask(ask=ask, helper=helper)


@transaction.atomic
def decline_suggestion(*, suggestion: Suggestion, helper: User) -> Suggestion:
    """Say no to a suggestion. The ask goes back to the pool; it is not proposed to this
    helper again."""
    _lock_pending(suggestion, helper)
    _decide(suggestion, SuggestionStatus.DECLINED)
    logger.info("suggestion %s declined by user %s", suggestion.pk, helper.pk)
    return suggestion
