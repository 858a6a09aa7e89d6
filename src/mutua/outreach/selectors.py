"""Reads for outreach: the leaflet's texts as the group last wrote them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from mutua.core.categories import Category
from mutua.governance.selectors import group_settings
from mutua.groups.models import Group
from mutua.outreach.models import LeafletVersion

# What a leaflet lists until the group chooses: the everyday asks of 2020's groups.
DEFAULT_CATEGORIES = [
    Category.GROCERIES,
    Category.PRESCRIPTIONS,
    Category.MEALS,
    Category.CHECK_IN,
    Category.TRANSPORT,
    Category.PETS,
]


def leaflet_languages() -> list[str]:
    """The languages a leaflet can be printed in: those the site is translated into."""
    return [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class LeafletText:
    """What the group wrote for one language, or the default words in that language."""

    language: str
    headline: str
    message: str
    categories: list[str]
    version: LeafletVersion | None


def default_text(language: str) -> LeafletText:
    with translation.override(language):
        return LeafletText(
            language=language,
            headline=_("Need a hand? Your neighbours can help."),
            message=_(
                "We are neighbours helping neighbours, for free. Nobody has to prove "
                "anything: just ask. Only the person who comes sees your address and phone."
            ),
            categories=[str(c) for c in DEFAULT_CATEGORIES],
            version=None,
        )


def leaflet_text(group: Group, language: str) -> LeafletText:
    """The newest version the group wrote in `language`, else the default words."""
    version = group.leaflet_versions.filter(language=language).first()
    if version is None:
        return default_text(language)
    return LeafletText(
        language=language,
        headline=version.headline,
        message=version.message,
        categories=version.category_slugs,
        version=version,
    )


def leaflet_history(group: Group, *, limit: int = 20) -> QuerySet[LeafletVersion]:
    """The group's latest edits, newest first, with who made them."""
    return group.leaflet_versions.select_related("by__profile")[:limit]


def sms_number(group: Group) -> str:
    """The number printed on the leaflet: the group's own, else the site's."""
    return group_settings(group).sms_number or str(settings.MUTUA_SMS_NUMBER)
