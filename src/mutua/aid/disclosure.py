"""Whether a viewer may see an ask's contact details and exact place: the one question
the ask page and the API put to privacy.

The rule and the access log are privacy's, and privacy sits above aid (its rule reads the
group's roles, its log and purge point at asks), so aid may not import it. privacy
registers its reveal function here at start-up (PrivacyConfig.ready) and aid's page and
API call `reveal`. With none registered nothing is shown: an error says what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from mutua.aid.models import Ask
from mutua.people.models import User


@dataclass(frozen=True)
class Disclosure:
    """privacy's answer: why the viewer may see the details (None: they may not), and
    whether that is because they are the asker. A reveal is logged before it is returned."""

    reason: str | None
    asker: bool = False

    @property
    def allowed(self) -> bool:
        return self.reason is not None


class Reveal(Protocol):
    def __call__(
        self, ask: Ask, *, user: User | None, key: str | None, channel: str
    ) -> Disclosure: ...


_registered: list[Reveal] = []


def register(reveal: Reveal) -> None:
    """Make `reveal` the one rule; registering again replaces it."""
    _registered[:] = [reveal]


def reveal(ask: Ask, *, user: User | None, key: str | None, channel: str) -> Disclosure:
    """May `user` (or the holder of the asker's `key`) see the ask's private details, seen
    through `channel` ("web", "api")? Logged by privacy when they may."""
    if not _registered:
        raise ImproperlyConfigured("No reveal rule is registered: is mutua.privacy installed?")
    return _registered[0](ask, user=user, key=key, channel=channel)
