"""Reads for dispatch: which groups a run covers, runs and their results, suggestions."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskStatus, Claim, ClaimOutcome
from mutua.core.errors import InvalidInput, NotFound
from mutua.governance import policy
from mutua.governance.models import Role
from mutua.governance.selectors import group_settings
from mutua.groups.models import Group, Membership
from mutua.matching.models import (
    DispatchRun,
    Round,
    RoundSchedule,
    Suggestion,
    SuggestionStatus,
    UnmatchedAsk,
    UnmatchedReason,
)
from mutua.people.models import User

# How many matched and unmatched asks a run page lists; the counts above them are complete.
RUN_PAGE_ROWS = 500


def _unknown_group(slug: str) -> InvalidInput:
    return InvalidInput(_("There is no group with the short name %(slug)s.") % {"slug": slug})


def groups_for_dispatch(
    *, group_slug: str | None = None, network_slug: str | None = None
) -> list[Group]:
    """The groups a run reads: one group, or a group and every group nested under it.

    The group named comes first, then the nested ones by depth and name. Raises
    InvalidInput for an unknown short name or unless exactly one of the two is given.
    """
    if (group_slug is None) == (network_slug is None):
        raise InvalidInput(_("Name either one group or one network to dispatch for."))
    slug = group_slug if group_slug is not None else network_slug
    assert slug is not None  # exactly one was given
    root = Group.objects.filter(slug=slug).first()
    if root is None:
        raise _unknown_group(slug)
    if group_slug is not None:
        return [root]
    found = [root]
    seen = {root.pk}
    level = [root.pk]
    # One query per level of nesting (network > area > ward > street: a handful).
    while level:
        children = [
            g
            for g in Group.objects.filter(parent_id__in=level).order_by("name", "pk")
            if g.pk not in seen  # a loop of parents must not run forever
        ]
        seen.update(g.pk for g in children)
        found += children
        level = [g.pk for g in children]
    return found


def run_summary(run: DispatchRun) -> list[tuple[str, int]]:
    """The run's counts as (label, number) rows, ready for a table; unmatched by reason."""
    rows = [
        (_("asks considered"), run.asks_considered),
        (_("helpers available"), run.helpers_considered),
        (_("proposed"), run.proposed),
    ]
    for reason in UnmatchedReason:
        count = int(run.unmatched.get(reason.value, 0))
        if count:
            rows.append((_("not matched: %(reason)s") % {"reason": reason.label}, count))
    return rows


def runs_of(group: Group) -> QuerySet[DispatchRun]:
    """Runs started for the group, newest first."""
    return DispatchRun.objects.filter(group=group).select_related("actor__profile", "round")


def get_run(*, group: Group, run_id: int) -> DispatchRun:
    try:
        return runs_of(group).get(pk=run_id)
    except DispatchRun.DoesNotExist:
        raise NotFound(str(run_id)) from None


def run_suggestions(run: DispatchRun) -> QuerySet[Suggestion]:
    """What the run matched: most urgent asks first, with what the page shows of each."""
    return (
        run.suggestions.select_related("ask", "helper__profile")
        .order_by("-ask__urgency", "ask__created_at", "pk")
        .defer("ask__lat", "ask__lon", "ask__address", "ask__contact_phone", "ask__contact_email")
    )


def run_unmatched(run: DispatchRun) -> QuerySet[UnmatchedAsk]:
    """What the run could not match, most urgent first."""
    return (
        run.unmatched_asks.select_related("ask")
        .order_by("-ask__urgency", "ask__created_at", "pk")
        .defer("ask__lat", "ask__lon", "ask__address", "ask__contact_phone", "ask__contact_email")
    )


def suggestions_for(user: User) -> QuerySet[Suggestion]:
    """The helper's suggestions still waiting for an answer, for asks still open."""
    return (
        Suggestion.objects.filter(
            helper=user, status=SuggestionStatus.PENDING, ask__status=AskStatus.OPEN
        )
        .select_related("ask", "ask__group")
        .order_by("-ask__urgency", "created_at", "pk")
    )


def pending_suggestion_count(user: User) -> int:
    return suggestions_for(user).count()


def pending_suggestion(*, ask: Ask, helper: User) -> Suggestion | None:
    """The suggestion of this ask waiting for the helper's answer, if dispatch made one."""
    return (
        Suggestion.objects.filter(ask=ask, helper=helper, status=SuggestionStatus.PENDING)
        .select_related("ask")
        .first()
    )


def get_suggestion(suggestion_id: int) -> Suggestion:
    try:
        return Suggestion.objects.select_related("ask").get(pk=suggestion_id)
    except Suggestion.DoesNotExist:
        raise NotFound(str(suggestion_id)) from None


def may_dispatch(*, group: Group, user: User | None) -> bool:
    """Whether the person may run dispatch for the group: its dispatchers, or a parent
    group's where the group granted that (see governance.policy.may_dispatch). Nobody
    acts as dispatcher while nobody holds the role."""
    return policy.may_dispatch(user, group)


def nobody_dispatches(group: Group) -> bool:
    return policy.nobody_holds(group, Role.DISPATCHER)


def dispatchable_by(user: User | None, groups: list[Group]) -> list[Group]:
    """Of `groups`, those the person may dispatch: a network's dispatcher reaches a child
    group only if the child granted it."""
    return [g for g in groups if policy.may_dispatch(user, g)]


def round_groups(group: Group) -> list[Group]:
    """The groups an automatic round of `group` covers: the group, and each group nested in
    it whose every group on the way up let the parent dispatch for it (the setting
    `parent_dispatch`, as for a dispatcher; see governance.policy.may_dispatch)."""
    nested = groups_for_dispatch(network_slug=group.slug)
    covered = {group.pk}
    found = [group]
    # Parents come before their children in that list, so one pass decides each.
    for child in nested[1:]:
        if child.parent_id in covered and group_settings(child).parent_dispatch == "yes":
            covered.add(child.pk)
            found.append(child)
    return found


def round_schedule(group: Group) -> RoundSchedule | None:
    """The group's automatic rounds as last decided, or None if it never decided on them."""
    return RoundSchedule.objects.filter(group=group).select_related("proposal").first()


def rounds_of(group: Group) -> QuerySet[Round]:
    """The group's automatic rounds, newest first, with their runs."""
    return Round.objects.filter(group=group).select_related("run")


def capacity_used(groups: list[Group]) -> Counter[int]:
    """Active claims plus pending suggestions on open asks, per member of the groups."""
    members = Membership.objects.filter(group__in=groups).values("user_id")
    claims = (
        Claim.objects.filter(outcome=ClaimOutcome.ACTIVE, helper_id__in=members)
        .values("helper_id")
        .annotate(n=Count("pk"))
    )
    suggestions = (
        Suggestion.objects.filter(
            status=SuggestionStatus.PENDING, ask__status=AskStatus.OPEN, helper_id__in=members
        )
        .values("helper_id")
        .annotate(n=Count("pk"))
    )
    used: Counter[int] = Counter()
    for row in [*claims, *suggestions]:
        used[row["helper_id"]] += row["n"]
    return used


def last_helped(helper_ids: list[int]) -> list[datetime | None]:
    """When each helper last took an ask (their latest claim, still going or done), in the
    order given; None for someone who never has."""
    latest: dict[int, datetime] = dict(
        Claim.objects.filter(
            helper_id__in=helper_ids, outcome__in=[ClaimOutcome.ACTIVE, ClaimOutcome.DONE]
        )
        .values("helper_id")
        .annotate(at=Max("claimed_at"))
        .values_list("helper_id", "at")
    )
    return [latest.get(helper_id) for helper_id in helper_ids]
