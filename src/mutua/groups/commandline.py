"""The group a command names with `--group SLUG`, read the same way by every command."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mutua.core.errors import NotFound
from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug


def group_option(slug: str) -> Group:
    """The group `slug` names, or one line saying why there is none.

    An empty `--group ""` (an unset variable in a script) is refused in its own words: it
    must not read as "every group", nor as a group whose name is blank."""
    if not slug.strip():
        raise CommandError(_("--group needs a group's short name."))
    try:
        return group_by_slug(slug)
    except NotFound:
        raise CommandError(
            _("There is no group with the short name %(slug)s.") % {"slug": slug}
        ) from None
