"""Domain errors raised by services; views and API routes turn them into messages."""

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
