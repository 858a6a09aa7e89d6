"""Facts that higher apps add to a group's page and to its shape in the API.

groups sits low in the layers, so it cannot read, say, the rules a group decided in
mutua.governance; those apps register a function here from their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mutua.groups.models import Group

PageFacts = Callable[[Group], list[tuple[str, str]]]
ApiFacts = Callable[[Group], dict[str, Any]]

_page_facts: list[PageFacts] = []
_api_facts: list[ApiFacts] = []


def register(*, page: PageFacts | None = None, api: ApiFacts | None = None) -> None:
    if page is not None and page not in _page_facts:
        _page_facts.append(page)
    if api is not None and api not in _api_facts:
        _api_facts.append(api)


def page_facts(group: Group) -> list[tuple[str, str]]:
    """(label, value) rows for the group's public page."""
    return [row for facts in _page_facts for row in facts(group)]


def api_facts(group: Group) -> dict[str, Any]:
    """Fields added to the group's public shape in the API."""
    merged: dict[str, Any] = {}
    for facts in _api_facts:
        merged |= facts(group)
    return merged
