"""Writes for outreach: a member edits the group's leaflet."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.core.categories import Category
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.groups.models import Group
from mutua.groups.selectors import is_member
from mutua.outreach.models import LeafletVersion
from mutua.outreach.selectors import leaflet_languages
from mutua.people.models import User

MAX_CATEGORIES = 8  # more kinds of help than this do not fit on an A5 leaflet


@transaction.atomic
def edit_leaflet(
    *,
    group: Group,
    by: User,
    language: str,
    headline: str,
    message: str,
    categories: list[str],
) -> LeafletVersion:
    """Write a new version of the group's leaflet in one language.

    Any member may edit it, as any member may hand leaflets out; the edit is a new
    version beside the old ones, with who wrote it, so the group sees every change and
    can put back an earlier text.
    """
    if not is_member(group=group, user=by):
        raise NotAllowed(_("Only members of %(group)s can edit its leaflet.") % {"group": group})
    if language not in leaflet_languages():
        raise InvalidInput(_("Leaflets can't be printed in that language."), field="language")
    headline = " ".join(headline.split())
    if not headline:
        raise InvalidInput(_("Write a headline."), field="headline")
    known = set(Category.values)
    chosen = list(dict.fromkeys(c for c in categories if c))
    if not chosen or any(c not in known for c in chosen):
        raise InvalidInput(_("Choose the kinds of help to list."), field="categories")
    if len(chosen) > MAX_CATEGORIES:
        raise InvalidInput(
            _("Choose at most %(count)d kinds of help: more do not fit.")
            % {"count": MAX_CATEGORIES},
            field="categories",
        )
    return LeafletVersion.objects.create(
        group=group,
        language=language,
        headline=headline[:120],
        message=message.strip()[:600],
        categories=",".join(chosen),
        by=by,
    )
