"""The groups API: the list of groups, one group, joining and leaving, members, and the
places typed as words (/places).

Joining is one request, with no questions, like the one click on the group's page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from mutua.core import geo
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.core.pagination import paginate
from mutua.core.schemas import TOKEN_ERRORS, PageQuery, errors
from mutua.groups import extensions, selectors, services
from mutua.groups.models import Group, Membership
from mutua.groups.schemas import (
    GroupDetailOut,
    GroupPage,
    GroupQuery,
    MemberPage,
    MembershipOut,
    MembershipPage,
    PlacePage,
    PlaceQuery,
)
from mutua.groups.selectors import places
from mutua.people.auth import bearer
from mutua.people.models import User

router = Router(tags=["groups"])
memberships_router = Router(tags=["groups"])
places_router = Router(tags=["places"])


def _group(group: Group) -> dict[str, Any]:
    centre = None
    if group.center_lat is not None and group.center_lon is not None:
        centre = {"lat": group.center_lat, "lon": group.center_lon}
    return {
        "slug": group.slug,
        "name": group.name,
        "kind": group.kind,
        "parent": group.parent.slug if group.parent else None,
        "description": group.description,
        "area_km2": round(group.area_km2, 3),
        "center": centre,
        "member_count": getattr(group, "member_count", 0),
        "open_ask_count": getattr(group, "open_ask_count", 0),
        "created_at": group.created_at,
    }


def _membership(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "group": membership.group.slug,
        "group_name": membership.group.name,
        "joined_at": membership.joined_at,
        "second_area": membership.second_area,
    }


@router.get("", response={200: GroupPage, **errors(400)}, auth=None, summary="Groups")
def list_groups(request: HttpRequest, filters: Query[GroupQuery]) -> dict[str, Any]:
    """Every group, newest first, optionally of one `kind` or inside one `parent`."""
    groups = selectors.group_summaries()
    if filters.kind:
        groups = groups.filter(kind=filters.kind)
    if filters.parent:
        groups = groups.filter(parent__slug=filters.parent)
    items, cursor = paginate(groups, cursor=filters.cursor, limit=filters.limit)
    return {"items": [_group(g) for g in items], "next": cursor}


@router.get(
    "/{slug:slug}", response={200: GroupDetailOut, **errors(404)}, auth=None, summary="One group"
)
def get_group(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A group's public facts: its area, how many members and open asks it has, who may
    take its asks and whether asks from its area come to it yet."""
    group = selectors.group_page(slug)
    return _group(group) | extensions.api_facts(group)


@router.post(
    "/{slug:slug}/join",
    response={200: MembershipOut, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Join a group",
)
def join(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Anyone may join, with no questions; joining twice is harmless."""
    user: User = request.auth  # type: ignore[attr-defined]
    membership = services.join_group(group=selectors.group_by_slug(slug), user=user)
    return _membership(membership)


@router.post(
    "/{slug:slug}/leave",
    response={204: None, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Leave a group",
)
def leave(request: HttpRequest, slug: str) -> Status[None]:
    """Leaving a group you are not in does nothing."""
    user: User = request.auth  # type: ignore[attr-defined]
    services.leave_group(group=selectors.group_by_slug(slug), user=user)
    return Status(204, None)


@router.post(
    "/{slug:slug}/second-area",
    response={200: MembershipOut, **errors(400, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Help in a group's area too",
)
def choose_second_area(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Make this group's area your second area (joining it if need be): dispatch suggests
    you asks there that nobody nearer could take. A second area chosen before is given
    up. The group's rules for who may take its asks still hold."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = selectors.group_by_slug(slug)
    return _membership(services.help_in_second_area(group=group, user=user))


@router.delete(
    "/{slug:slug}/second-area",
    response={204: None, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Stop helping in a second area",
)
def stop_second_area(request: HttpRequest, slug: str) -> Status[None]:
    """Stop helping in your second area; you stay a member of its group."""
    user: User = request.auth  # type: ignore[attr-defined]
    services.stop_second_area(user=user, group=selectors.group_by_slug(slug))
    return Status(204, None)


@router.get(
    "/{slug:slug}/members",
    response={200: MemberPage, **errors(400, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Members of a group",
)
def members(request: HttpRequest, slug: str, page: Query[PageQuery]) -> dict[str, Any]:
    """Members see who else is in their group, by display name; outsiders get 403."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = selectors.group_by_slug(slug)
    if not selectors.is_member(group=group, user=user):
        raise NotAllowed(_("Only members of %(group)s see who is in it.") % {"group": group.name})
    items, cursor = paginate(selectors.members_of(group), cursor=page.cursor, limit=page.limit)
    return {
        "items": [
            {"id": m.pk, "name": m.user.display_name, "joined_at": m.joined_at} for m in items
        ],
        "next": cursor,
    }


@memberships_router.get(
    "",
    response={200: MembershipPage, **errors(400, *TOKEN_ERRORS)},
    auth=bearer,
    summary="My groups",
)
def my_memberships(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The groups you are a member of, most recently joined first."""
    user: User = request.auth  # type: ignore[attr-defined]
    items, cursor = paginate(selectors.memberships_of(user), cursor=page.cursor, limit=page.limit)
    return {"items": [_membership(m) for m in items], "next": cursor}


@places_router.get("", response={200: PlacePage, **errors(400)}, auth=None, summary="Places")
def find_places(request: HttpRequest, filters: Query[PlaceQuery]) -> dict[str, Any]:
    """What a place typed as words may mean, best first: the network's group names, the
    names groups added, the offline gazetteer (and the online geocoder where the server
    has one). `group` is the group an ask there would reach. Places far from every group
    come last; `POST /asks` never picks one of them by itself."""
    near = None
    if filters.near:
        near = geo.parse_point(filters.near)
        if near is None:
            raise InvalidInput(
                _("near must be LAT,LON, for example near=51.54,-0.05"), field="near"
            )
    found = places.resolve(filters.q, near=near).candidates
    return {"items": [places.as_item(c) for c in found]}
