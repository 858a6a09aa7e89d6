"""Who may do what with an incident: yes/no rules about people."""

from __future__ import annotations

from mutua.aid import taking
from mutua.aid.models import Ask
from mutua.governance.models import Role
from mutua.governance.policy import has_role
from mutua.governance.selectors import group_settings
from mutua.groups.models import Group, Membership
from mutua.groups.selectors import ancestors_of, is_member
from mutua.incidents.models import Case, Incident, IncidentStatus, Volunteer
from mutua.people.models import User


def network_of(group: Group) -> Group:
    """The widest group this one is part of (itself when it is part of none)."""
    chain = ancestors_of(group)
    return chain[-1] if chain else group


def inside(group: Group) -> set[int]:
    """The ids of the group and of every group nested inside it, however deep."""
    found = {group.pk}
    frontier = {group.pk}
    while frontier:
        frontier = set(
            Group.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def in_network(incident: Incident, group: Group) -> bool:
    """Whether `group` belongs to the same network as the incident's group."""
    return network_of(group).pk == network_of(incident.group).pk


def is_volunteer(user: User | None, incident: Incident) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Volunteer.objects.filter(incident=incident, member=user).exists()


def is_responder(user: User | None, incident: Incident) -> bool:
    """Members of the incident's group (or of a group inside it, whose asks are its cases)
    and the volunteers who joined it: they see the surge board and assess cases."""
    if user is None or not user.is_authenticated:
        return False
    if Membership.objects.filter(user=user, group_id__in=inside(incident.group)).exists():
        return True
    return is_volunteer(user, incident)


def may_open_at_once(user: User | None, group: Group) -> bool:
    """The group's dispatchers open an incident in an emergency, before the decision."""
    return has_role(user, group, Role.DISPATCHER)


def may_close(user: User | None, incident: Incident) -> bool:
    return has_role(user, incident.group, Role.DISPATCHER)


def homes_to_join_from(user: User, incident: Incident) -> list[Group]:
    """The user's groups, other than the incident's own tree, in the incident's network."""
    own = inside(incident.group)
    network = network_of(incident.group)
    mine = Group.objects.filter(memberships__user=user).exclude(pk__in=own).order_by("pk")
    return [g for g in mine if network_of(g).pk == network.pk]


def may_work_for(user: User, group: Group) -> bool:
    """A member takes work on a case on behalf of their own group only."""
    return is_member(group=group, user=user)


def guest_homes(user: User, ask: Ask) -> list[Group]:
    """The groups of a volunteer who joined an open incident this ask is a case of: aid
    lets them take it, judged by their standing there (aid.extensions)."""
    volunteering = Volunteer.objects.filter(
        member=user, incident__status=IncidentStatus.OPEN, incident__cases__ask=ask
    ).select_related("home_group")
    return [v.home_group for v in volunteering if is_member(group=v.home_group, user=user)]


def guest_takers(ask_ids: list[int]) -> dict[int, set[int]]:
    """For dispatch: the volunteers of open incidents who may take each of these asks (its
    cases), as their own group's rules allow them (aid.taking.allowed_takers there)."""
    cases = Case.objects.filter(ask_id__in=ask_ids, incident__status=IncidentStatus.OPEN)
    rows = list(cases.values_list("ask_id", "incident_id", "ask__group_id", "ask__category"))
    if not rows:
        return {}
    volunteers: dict[int, list[Volunteer]] = {}
    for volunteer in Volunteer.objects.filter(
        incident_id__in={incident for _ask, incident, _g, _c in rows}
    ).select_related("home_group"):
        volunteers.setdefault(volunteer.incident_id, []).append(volunteer)
    groups = Group.objects.in_bulk({group for _ask, _i, group, _c in rows if group is not None})
    allowed: dict[tuple[int, str], set[int]] = {}
    found: dict[int, set[int]] = {}
    for ask_id, incident_id, group_id, category in rows:
        group = groups.get(group_id) if group_id is not None else None
        if group is None:
            continue
        rule = group_settings(group).take_rule(category)
        for volunteer in volunteers.get(incident_id, []):
            key = (volunteer.home_group_id, rule)
            if key not in allowed:
                allowed[key] = taking.allowed_takers(volunteer.home_group, rule)
            if volunteer.member_id in allowed[key]:
                found.setdefault(ask_id, set()).add(volunteer.member_id)
    return found
