"""Domain errors raised by services and selectors; views and API routes turn them into
messages, and `NotFound` into a 404 (pages: `NotFoundMiddleware`; API: its handler)."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action. `message` is safe to show to the person."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    status = 400


class NotAllowed(DomainError):
    status = 403


class Conflict(DomainError):
    """The thing changed under the person (already claimed, already done)."""

    status = 409


class InvalidTransition(Conflict):
    pass


class NotFound(Exception):
    """A selector found no such thing (or none the person may know exists).

    Not a DomainError: a view that shows a refused action as a message must not turn a
    missing page into one. Pages answer 404 through `mutua.core.middleware.NotFoundMiddleware`,
    the API through its exception handler, commands with one line.
    """

    def __init__(self, what: str = "") -> None:
        super().__init__(what)
        self.what = what
