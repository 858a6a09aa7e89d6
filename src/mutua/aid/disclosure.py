"""Whether a viewer may see an ask's contact details and exact place: the one question
aid's page and API put to privacy.

The rule and the access log every reveal is written to are privacy's, and privacy sits
above aid (its rule reads the group's roles, its log and purge point at asks), so aid may
not import it. privacy registers its reveal service here at start-up
(PrivacyConfig.ready) and aid's page and API call `reveal`. With none registered nothing
is shown: an error says what is missing.

Handing an ask on is a disclosure too: its details move to another group (whose roles may
see them now) or another server. aid's hand-on services call `record_move` inside their
transaction, and privacy writes it to the same access log; with nothing registered the
hand-on is refused, never done unlogged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.aid.models import Ask
from mutua.aid.policy import Actor
from mutua.people.models import User


class Channel(models.TextChoices):
    """The door through which details are shown; stored in the access log."""

    PAGE = "web", _("the ask's page")
    API = "api", _("the API")
    SMS = "sms", _("a text message")
    EXPORT = "export", _("an export by whoever runs the server")


@dataclass(frozen=True)
class Reveal:
    """Whether the viewer sees the details and why: when allowed, `reason` is an access
    log reason (the asker, the helper, a role, the operator); when not, why not."""

    allowed: bool
    reason: str


class Revealer(Protocol):
    def __call__(self, *, viewer: Actor, ask: Ask, channel: Channel) -> Reveal: ...


_registered: list[Revealer] = []


@dataclass(frozen=True)
class Seen:
    """One time someone was shown the ask's details, for the asker's page."""

    who: str
    at: datetime
    why: str


History = Callable[[Ask], list[Seen]]
_history: History | None = None


def register_history(history: History) -> None:
    """Set the reader of the access log (privacy's, at start-up)."""
    global _history
    _history = history


def history(ask: Ask) -> list[Seen]:
    """Who was shown the ask's details and when, newest first."""
    return [] if _history is None else _history(ask)


def register(revealer: Revealer) -> None:
    """Make `revealer` the one rule; registering again replaces it."""
    _registered[:] = [revealer]


def reveal(*, viewer: Actor, ask: Ask, channel: Channel) -> Reveal:
    """Decide whether `viewer` sees the ask's private details and, if so, log it."""
    if not _registered:
        raise ImproperlyConfigured("No reveal rule is registered: is mutua.privacy installed?")
    return _registered[0](viewer=viewer, ask=ask, channel=channel)


class Move(models.TextChoices):
    """Where an ask's details went when it was handed on; the access log's reason."""

    LINKED_SERVER = "linked-server", _("handed on to a linked server")
    OTHER_GROUP = "other-group", _("passed on to another group")


class MoveRecorder(Protocol):
    def __call__(self, *, ask: Ask, actor: User | None, move: Move, channel: str) -> None: ...


_movers: list[MoveRecorder] = []


def register_move(recorder: MoveRecorder) -> None:
    """Set the one recorder of hand-ons (privacy's access log); again replaces it."""
    _movers[:] = [recorder]


def record_move(*, ask: Ask, actor: User | None, move: Move, channel: str) -> None:
    """Log that the ask's details moved (`actor` None: the worker or the operator)."""
    if not _movers:
        raise ImproperlyConfigured("No hand-on recorder is registered: is mutua.privacy installed?")
    _movers[0](ask=ask, actor=actor, move=move, channel=channel)
