"""What other apps must erase when privacy erases: registered at start-up.

Privacy sits below the apps that keep copies of personal data (notify's outbox and
texts, for one), so it cannot reach their tables itself. Each such app registers here,
in its AppConfig.ready(), what to do when an ask's personal details are purged and when
a person's account is erased. Handlers run inside privacy's transaction and may not
fail quietly: an erasure that missed a table must not be reported as done.
"""

from __future__ import annotations

from collections.abc import Callable

from mutua.aid.models import Ask
from mutua.people.models import User

AskHandler = Callable[[Ask], None]
PersonHandler = Callable[[User], None]

_ask_handlers: list[AskHandler] = []
_person_handlers: list[PersonHandler] = []


def on_ask_purged(handler: AskHandler) -> None:
    """`handler(ask)` runs before the ask's own personal fields are wiped (so it can still
    read them) whenever they are: at the end of retention, or with the asker's account."""
    if handler not in _ask_handlers:
        _ask_handlers.append(handler)


def on_person_erased(handler: PersonHandler) -> None:
    """`handler(user)` runs while the account is erased, before its email is replaced."""
    if handler not in _person_handlers:
        _person_handlers.append(handler)


def ask_purged(ask: Ask) -> None:
    for handler in _ask_handlers:
        handler(ask)


def person_erased(user: User) -> None:
    for handler in _person_handlers:
        handler(user)
