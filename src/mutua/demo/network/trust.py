"""Trust in the demo network: every group is established, its members (with confirmed
e-mail addresses) trusted with its asks, as in groups whose members vouched for one
another. In each group the server's operator seats its first members as trusted helpers
(the group's history says so) and they vouch for everyone else; the demo login is trusted
in each of its groups and dispatches for the network, whose groups let it."""

from __future__ import annotations

from collections import defaultdict

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _

from mutua.demo.network.plans import DemoPlan, Progress
from mutua.governance import services as governance_services
from mutua.governance.models import GroupSettings, Role, Trust
from mutua.groups.models import Group, Membership
from mutua.people.models import User

# Seated by the operator in each group: enough to establish it and to vouch for others.
SEATED = 3
_BATCH = 2000


def trust_members(
    plan: DemoPlan, groups: list[Group], users: dict[str, User], progress: Progress
) -> None:
    progress.stage(_("Trust"), len(groups))
    demo = users[plan.demo_member.email]
    # Demo members confirmed their e-mail address, as members who take asks have.
    known = set(
        EmailAddress.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users.values()
            if u.pk not in known
        ],
        batch_size=_BATCH,
    )
    members: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.filter(group__in=groups).order_by("group_id", "pk")
    for group_id, user_id in rows.values_list("group_id", "user_id"):
        members[group_id].append(user_id)
    people = User.objects.in_bulk([i for ids in members.values() for i in ids[:SEATED]])
    people[demo.pk] = demo
    for group in groups:
        ids = members[group.pk]
        seated = ids[:SEATED]
        if demo.pk in ids and demo.pk not in seated:
            seated.append(demo.pk)
        for user_id in seated:
            governance_services.trust_by_operator(group=group, member=people[user_id])
        vouchers = seated[:2]
        Trust.objects.bulk_create(
            [
                Trust(group=group, giver_id=giver, receiver_id=receiver, role=Role.HELPER)
                for receiver in ids
                if receiver not in seated
                for giver in vouchers
            ],
            batch_size=_BATCH,
        )
        governance_services.establish_if_ready(group=group)
        progress.advance()
    network = groups[0]
    governance_services.trust_by_operator(group=network, member=demo, role=Role.DISPATCHER)
    GroupSettings.objects.bulk_create(
        [GroupSettings(group=g, parent_dispatch="yes") for g in groups if g.parent_id is not None]
    )
