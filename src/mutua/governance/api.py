"""The governance API: who holds which role in a group until when, and the trust each
member holds. For members, as the roles page is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.core.errors import NotAllowed
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.governance import policy, selectors
from mutua.governance.models import Role
from mutua.governance.selectors import taking
from mutua.groups.selectors import group_by_slug
from mutua.people.auth import bearer
from mutua.people.models import User

router = Router(tags=["groups"])


class TermOut(Schema):
    role: str
    holder: str = Field(..., description="The holder's display name (never their email)")
    source: str = Field(..., description="proposal, trust, bootstrap or operator")
    starts_at: datetime
    ends_at: datetime


class MemberTrustOut(Schema):
    name: str = Field(..., description="The member's display name")
    trust: dict[str, int] = Field(
        ..., description="Pending trust from current members, by role (roles with none left out)"
    )
    trusted: bool = Field(..., description="Whether the group trusts them with its asks")


_ROLES_EXAMPLE: JsonDict = {
    "roles": [
        {
            "role": "dispatcher",
            "holder": "Sam",
            "source": "proposal",
            "starts_at": "2025-03-01T10:00:00Z",
            "ends_at": "2025-05-30T10:00:00Z",
        }
    ],
    "unheld": ["hotline", "safeguarding", "treasurer", "stock-keeper", "welcomer", "helper"],
    "members": [
        {"name": "Sam", "trust": {"helper": 2}, "trusted": True},
        {"name": "Ana", "trust": {}, "trusted": False},
    ],
    "who_may_take": "trusted",
    "trust_to_take": 2,
}


class RolesOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_ROLES_EXAMPLE]})

    roles: list[TermOut] = Field(..., description="Every role held now, in role order")
    unheld: list[str] = Field(..., description="Roles nobody holds now")
    members: list[MemberTrustOut]
    who_may_take: str
    trust_to_take: int


@router.get(
    "/{slug:slug}/roles",
    response={200: RolesOut, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Roles and trust in a group",
)
def roles(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Who holds which role until when, and the trust each member holds. Members only;
    others get 403."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    if not policy.can_see_governance(user, group):
        raise NotAllowed(
            _("Only members of %(group)s see who holds its roles.") % {"group": group.name}
        )
    terms = list(selectors.active_terms(group))
    trusted = {u.pk for u in taking.trusted_members(group)}
    by_member: dict[int, dict[str, int]] = {}
    for trust in selectors.pending_trust(group):
        by_member.setdefault(trust["receiver"], {})[trust["role"]] = trust["n"]
    row = selectors.group_settings(group)
    return {
        "roles": [
            {
                "role": t.role,
                "holder": t.holder.display_name,
                "source": t.source,
                "starts_at": t.starts_at,
                "ends_at": t.ends_at,
            }
            for t in terms
        ],
        "unheld": [r for r in Role.values if r not in {t.role for t in terms}],
        "members": [
            {"name": m.display_name, "trust": by_member.get(m.pk, {}), "trusted": m.pk in trusted}
            for m in selectors.members(group)
        ],
        "who_may_take": row.who_may_take,
        "trust_to_take": row.trust_to_take,
    }
