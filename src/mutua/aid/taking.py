"""The group's rules for who may take an ask, read by `mutua.aid.policy.may_take`.

Taking an ask shows the asker's address and phone, so openness stops here: the ask's
group decides who may take its asks (governance's `who_may_take`, stricter for some
categories), a helper holds at most a few open claims at once, releasing asks after
seeing their details again and again pauses claiming, and a blocked pair is never
matched. Every refusal says what would let the person take the ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutua.aid import extensions
from mutua.aid.models import Ask, Claim, ClaimingRestored, ClaimOutcome
from mutua.governance import policy as governance
from mutua.governance.models import GroupSettings, LogEntry, LogKind, Role, TakeRule
from mutua.governance.selectors import group_settings
from mutua.governance.selectors.taking import trusted_members
from mutua.groups.models import Group
from mutua.groups.selectors import ancestors_of, is_member
from mutua.people.models import User

# Releases after a reveal are counted over this window.
RELEASE_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Refusal:
    """Why the person may not take the ask (a short code for tests and logs) and what
    to tell them, which says what would let them."""

    code: str
    message: str


def refusal(ask: Ask, user: User, *, now: datetime | None = None) -> Refusal | None:
    """None if `user` (signed in, not the asker) may take `ask` under its group's rules;
    otherwise why not. The ask's status is not checked here."""
    group = ask.group
    if group is None:
        return Refusal(
            "no-group",
            _(
                "No group covers this ask's place yet, so nobody can take it here: a group "
                "near it has to take it on first."
            ),
        )
    asker = ask.asker
    if asker is not None and extensions.pair_blocked(user, asker):
        return Refusal("blocked", _("You and the person who asked cannot be matched."))
    if Claim.objects.filter(ask=ask, helper=user, outcome=ClaimOutcome.DECLINED).exists():
        return Refusal(
            "declined", _("The person who asked chose someone else for this ask; thank you.")
        )
    rules = group_settings(group)
    rule = rules.take_rule(ask.category)
    chain = [group, *ancestors_of(group)]
    # A volunteer who joined an incident this ask belongs to is judged in their own group.
    homes = [g for g in chain if is_member(group=g, user=user)] or extensions.guest_homes(user, ask)
    if not homes:
        return Refusal("not-a-member", _join_message(group, rule, rules))
    named = any(governance.has_role(user, g, Role.HELPER) for g in homes)
    if not named and not _contact_proven(user):
        return Refusal(
            "unverified",
            _(
                "To take asks, confirm a way to reach you first: verify your e-mail address "
                "(the link we e-mailed you) or link your phone by text on your "
                "notification settings."
            ),
        )
    if not any(governance.meets_rule(user, g, rule) for g in homes):
        code = "not-trusted" if rule == TakeRule.TRUSTED else "not-named"
        return Refusal(code, _rule_message(user, group, rule, rules))
    return _limits(ask, group, user, rules, now=now or timezone.now())


def _contact_proven(user: User) -> bool:
    verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return verified or extensions.contact_proven(user)


def _join_message(group: Group, rule: TakeRule, rules: GroupSettings) -> str:
    if rule == TakeRule.MEMBERS:
        return _(
            "Only members of %(group)s take its asks. Join the group (one click) and "
            "confirm your e-mail address or phone; then you can take this ask."
        ) % {"group": group.name}
    if rule == TakeRule.TRUSTED:
        return ngettext(
            "Only members of %(group)s trusted by other members take this ask. Join the "
            "group, and once %(count)d trusted member vouches for you as a helper, you can "
            "take it.",
            "Only members of %(group)s trusted by other members take this ask. Join the "
            "group, and once %(count)d trusted members vouch for you as a helper, you can "
            "take it.",
            rules.trust_to_take,
        ) % {"group": group.name, "count": rules.trust_to_take}
    return _(
        "%(group)s keeps this kind of ask for trusted helpers it names by a decision. Join "
        "the group; members can then propose you for the role of trusted helper."
    ) % {"group": group.name}


def _rule_message(user: User, group: Group, rule: TakeRule, rules: GroupSettings) -> str:
    if rule == TakeRule.TRUSTED:
        return ngettext(
            "%(group)s asks that its helpers be trusted by other members: you need %(count)d "
            "trusted member to vouch for you as a helper (you have %(have)d so far). Ask "
            "members who know you to vouch for you on the group's roles page.",
            "%(group)s asks that its helpers be trusted by other members: you need %(count)d "
            "trusted members to vouch for you as a helper (you have %(have)d so far). Ask "
            "members who know you to vouch for you on the group's roles page.",
            rules.trust_to_take,
        ) % {
            "group": group.name,
            "count": rules.trust_to_take,
            "have": governance.helper_trust(user, group),
        }
    return _(
        "%(group)s keeps this kind of ask for trusted helpers it names by a decision. "
        "Members can propose you for the role of trusted helper on the group's proposals "
        "page."
    ) % {"group": group.name}


def _limits(
    ask: Ask, group: Group, user: User, rules: GroupSettings, *, now: datetime
) -> Refusal | None:
    held = Claim.objects.filter(helper=user, outcome=ClaimOutcome.ACTIVE, ask__group=group).exclude(
        ask=ask
    )
    if held.count() >= rules.max_open_claims:
        return Refusal(
            "too-many",
            ngettext(
                "You already hold %(count)d open ask in %(group)s, as many as the group lets "
                "one helper hold at once. Finish or release it first.",
                "You already hold %(count)d open asks in %(group)s, as many as the group lets "
                "one helper hold at once. Finish or release one first.",
                rules.max_open_claims,
            )
            % {"count": rules.max_open_claims, "group": group.name},
        )
    if is_suspended(user, group, rules=rules, now=now):
        return Refusal(
            "suspended",
            _(
                "Your claiming in %(group)s is paused: you gave back more asks after seeing "
                "their details than the group allows in 30 days. A member holding the "
                "safeguarding role, or a decision of the group, can restore it."
            )
            % {"group": group.name},
        )
    return None


def releases_after_reveal(user: User, group: Group, *, now: datetime | None = None) -> int:
    """Asks of the group the person released after seeing their details, in the last 30
    days and since their claiming was last restored."""
    now = now or timezone.now()
    since = now - RELEASE_WINDOW
    restored = ClaimingRestored.objects.filter(group=group, member=user).aggregate(last=Max("at"))[
        "last"
    ]
    # A member holding the safeguarding role restores it (ClaimingRestored), or a decision.
    decided = LogEntry.objects.filter(
        group=group, subject=user, kind=LogKind.CLAIMING_RESTORED
    ).aggregate(last=Max("at"))["last"]
    for moment in (restored, decided):
        if moment is not None and moment > since:
            since = moment
    return Claim.objects.filter(
        helper=user,
        ask__group=group,
        outcome=ClaimOutcome.RELEASED,
        revealed_at__isnull=False,
        ended_at__gt=since,
    ).count()


def is_suspended(
    user: User,
    group: Group,
    *,
    rules: GroupSettings | None = None,
    now: datetime | None = None,
) -> bool:
    allowed = (rules or group_settings(group)).max_releases
    return releases_after_reveal(user, group, now=now) > allowed


def paused_members(group: Group, *, now: datetime | None = None) -> list[User]:
    """Members whose claiming in the group is paused for releases after reveals."""
    now = now or timezone.now()
    recent = (
        Claim.objects.filter(
            ask__group=group,
            outcome=ClaimOutcome.RELEASED,
            revealed_at__isnull=False,
            ended_at__gt=now - RELEASE_WINDOW,
        )
        .values_list("helper_id", flat=True)
        .distinct()
    )
    rules = group_settings(group)
    people = User.objects.filter(pk__in=list(recent)).select_related("profile")
    return [p for p in people if is_suspended(p, group, rules=rules, now=now)]


def allowed_takers(group: Group, rule: TakeRule, *, now: datetime | None = None) -> set[int]:
    """Ids of everyone `refusal` would let take an ask of the group under `rule`, apart
    from the ask's own asker, blocks and the asker's no (checked per ask): for dispatch,
    which must never suggest a helper who may not take the ask."""
    now = now or timezone.now()
    rules = group_settings(group)
    named: set[int] = set()
    allowed: set[int] = set()
    candidates: set[int] = set()
    for home in [group, *ancestors_of(group)]:
        named |= set(
            governance.active_holders(home, Role.HELPER).values_list("holder_id", flat=True)
        )
        if rule == TakeRule.MEMBERS:
            candidates |= set(home.memberships.values_list("user_id", flat=True))
        elif rule == TakeRule.TRUSTED:
            candidates |= {u.pk for u in trusted_members(home)}
    allowed |= named
    unproven = candidates - named
    verified = set(
        EmailAddress.objects.filter(user_id__in=unproven, verified=True).values_list(
            "user_id", flat=True
        )
    )
    allowed |= verified
    for user in User.objects.filter(pk__in=unproven - verified):
        if extensions.contact_proven(user):
            allowed.add(user.pk)
    busy = (
        Claim.objects.filter(outcome=ClaimOutcome.ACTIVE, ask__group=group)
        .values("helper_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=rules.max_open_claims)
        .values_list("helper_id", flat=True)
    )
    allowed -= set(busy)
    allowed -= {u.pk for u in paused_members(group, now=now)}
    return allowed
