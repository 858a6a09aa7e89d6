"""Writes for dispatch: running it (by hand, or in the automatic rounds a group decided
on), and a helper's answer to a suggestion.

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
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskStatus, Claim
from mutua.aid.services import claim_ask, release_offered_ask
from mutua.core import geo
from mutua.core.errors import Conflict, DomainError, InvalidInput, InvalidTransition, NotAllowed
from mutua.governance.models import Proposal
from mutua.groups.models import Group
from mutua.matching import adapter, selectors
from mutua.matching.engine import EngineInputError
from mutua.matching.models import (
    DispatchRun,
    Round,
    RoundSchedule,
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


def supersede_moved(*, ask_id: int, now: datetime | None = None) -> int:
    """End the pending suggestions of an ask passed on to another group: they were made
    by the old group's dispatch, under its rules, to its members. The new group's rounds
    suggest it again. Safe to run twice."""
    now = now or timezone.now()
    return (
        Suggestion.objects.filter(ask_id=ask_id, status=SuggestionStatus.PENDING)
        .exclude(group_id=F("ask__group_id"))
        .update(status=SuggestionStatus.SUPERSEDED, decided_at=now)
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
    now = timezone.now()
    expire_suggestions(now=now)
    _supersede_closed(now)
    return _dispatch(groups=groups, actor=actor, now=now)


def _dispatch(*, groups: list[Group], actor: User | None, now: datetime) -> DispatchRun:
    """The run itself, once stale suggestions are ended: its own transaction (a savepoint
    inside a round's)."""
    started = time.perf_counter()
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


# The shortest and longest time between automatic rounds a group may choose.
MIN_ROUND_MINUTES = 1
MAX_ROUND_MINUTES = 24 * 60


def set_round_schedule(
    *,
    group: Group,
    every_minutes: int,
    proposal: Proposal | None = None,
    now: datetime | None = None,
) -> RoundSchedule:
    """Turn the group's automatic dispatch rounds on (every `every_minutes`) or off (0).

    Called when a "dispatch-rounds" proposal passes (matching.decisions): the group decides
    this, no single person. The first round is due at once, so asks already waiting get a
    suggestion at the worker's next look at the clock.
    """
    if isinstance(every_minutes, bool) or not (
        every_minutes == 0 or MIN_ROUND_MINUTES <= every_minutes <= MAX_ROUND_MINUTES
    ):
        raise InvalidInput(
            _("Rounds run every %(min)d to %(max)d minutes, or 0 to turn them off.")
            % {"min": MIN_ROUND_MINUTES, "max": MAX_ROUND_MINUTES},
            field="setting_value",
        )
    now = now or timezone.now()
    with transaction.atomic():
        schedule, _created = RoundSchedule.objects.update_or_create(
            group=group,
            defaults={
                "every_minutes": every_minutes,
                "next_at": now if every_minutes else None,
                "proposal": proposal,
                "changed_at": now,
            },
        )
    logger.info("dispatch rounds of group %s: every %s minutes", group.slug, every_minutes)
    return schedule


def run_round(*, group: Group, now: datetime | None = None) -> Round:
    """One automatic round for the group and the groups inside it that let it dispatch
    for them (selectors.round_groups).

    Incremental: suggestions still waiting for an answer stay with their helpers (their
    asks are not in the run, and their helpers' capacity counts them); those past their
    answer time are ended first, so their asks are in it, as are asks new since the last
    round. One transaction: the round and its run are recorded together or not at all.
    """
    now = now or timezone.now()
    groups = selectors.round_groups(group)
    with transaction.atomic():
        expired = Suggestion.objects.filter(
            status=SuggestionStatus.PENDING, expires_at__lte=now, group__in=groups
        ).update(status=SuggestionStatus.EXPIRED, decided_at=now)
        _supersede_closed(now)
        kept = Suggestion.objects.filter(
            status=SuggestionStatus.PENDING, ask__status=AskStatus.OPEN, group__in=groups
        ).count()
        run = _dispatch(groups=groups, actor=None, now=now)
        return Round.objects.create(
            group=group, run=run, started_at=now, kept=kept, expired=expired
        )


def run_due_rounds(*, now: datetime | None = None) -> int:
    """Run the round of every group whose next round is due; returns how many ran.

    The worker's periodic job. Each schedule is claimed by moving its next time on with a
    conditional update, so of two workers (or a repeated job) only one runs a given round;
    a worker that was away does not run the rounds it missed, only the next one.
    """
    now = now or timezone.now()
    due = list(
        RoundSchedule.objects.filter(every_minutes__gt=0, next_at__lte=now)
        .select_related("group")
        .order_by("next_at", "pk")
    )
    ran = 0
    for schedule in due:
        claimed = RoundSchedule.objects.filter(
            pk=schedule.pk, every_minutes=schedule.every_minutes, next_at=schedule.next_at
        ).update(next_at=now + timedelta(minutes=schedule.every_minutes))
        if not claimed:
            continue
        try:
            run_round(group=schedule.group, now=now)
        except DomainError:
            # One group's bad data must not stop the others' rounds; its next round retries.
            logger.exception("dispatch round for group %s failed", schedule.group.slug)
            continue
        ran += 1
    return ran


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
    helper again. An ask answering the helper's own offer goes to the board."""
    _lock_pending(suggestion, helper)
    _decide(suggestion, SuggestionStatus.DECLINED)
    release_offered_ask(ask=suggestion.ask)
    logger.info("suggestion %s declined by user %s", suggestion.pk, helper.pk)
    return suggestion


@transaction.atomic
def suggest_to_offerer(*, ask_id: int) -> Suggestion | None:
    """Suggest an ask answering an offer to the member who offered, for as long as it is
    offered to them first (aid.services.offers.answer_offer): a suggestion without a
    run, answered like any other. None when there is nothing to suggest (no hold, the
    ask taken or closed, or already suggested). Safe to run twice."""
    ask = (
        Ask.objects.select_for_update(of=("self",))
        .select_related("group", "offer__member__profile")
        .filter(pk=ask_id)
        .first()
    )
    if ask is None or ask.offered_until is None or ask.offer is None or ask.group is None:
        return None
    pending = Suggestion.objects.filter(ask=ask, status=SuggestionStatus.PENDING)
    if ask.status != AskStatus.OPEN or pending.exists():
        return None
    helper = ask.offer.member
    profile = getattr(helper, "profile", None)
    distance = 0.0
    if profile is not None and profile.home_lat is not None and profile.home_lon is not None:
        distance = geo.haversine_km(ask.lat, ask.lon, profile.home_lat, profile.home_lon)
    suggestion = Suggestion.objects.create(
        run=None,
        group=ask.group,
        ask=ask,
        helper=helper,
        distance_km=distance,
        expires_at=ask.offered_until,
    )
    logger.info("ask %s suggested to user %s, whose offer it answers", ask.pk, helper.pk)
    return suggestion
