"""Hooks: how a lower app sets off what a higher app does without importing it.

The lower app declares a Hook with the type of what it announces; each higher app
registers its handler in its AppConfig.ready(); the lower app calls the hook, usually
from transaction.on_commit. Unlike a Django signal, a hook is typed (mypy checks every
handler against it) and has one argument, so handlers carry no `sender` or **kwargs.
Rules never live in a handler's registration: a handler calls its own app's service.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Hook(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[Callable[[T], object]] = []
        self._muted = threading.local()

    def register(self, handler: Callable[[T], object]) -> None:
        """Call `handler` with each announcement; registering it again changes nothing."""
        if handler not in self._handlers:
            self._handlers.append(handler)

    def unregister(self, handler: Callable[[T], object]) -> None:
        if handler in self._handlers:
            self._handlers.remove(handler)

    def call(self, announcement: T) -> None:
        """Give `announcement` to every handler. One that fails is logged and does not stop
        the others: what was announced has happened, and a broken listener (a mail server
        down) must not turn it into an error."""
        if self.is_muted():
            return
        for handler in tuple(self._handlers):
            try:
                handler(announcement)
            except Exception:
                logger.exception("%s: the handler %s failed", self.name, _name(handler))

    def is_muted(self) -> bool:
        """Whether this thread announces nothing now: a caller that calls the hook once
        its transaction commits asks this first, as the commit may come after `muted`."""
        return bool(getattr(self._muted, "depth", 0))

    @contextmanager
    def muted(self) -> Iterator[None]:
        """Announce nothing in this thread meanwhile, nor what is written meanwhile and
        committed later: for made-up data, such as the demo network, that nobody must be
        told about."""
        self._muted.depth = getattr(self._muted, "depth", 0) + 1
        try:
            yield
        finally:
            self._muted.depth -= 1


def _name(handler: Callable[..., object]) -> str:
    return f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', handler)}"
