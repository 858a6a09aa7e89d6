"""Cursor pagination for the API's list routes: newest first, stable while rows are added.

A cursor is the position after the last item of a page, not a page number, so a list
that grows while a script walks it neither repeats nor skips anything.
"""

from __future__ import annotations

import base64
import binascii
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput

M = TypeVar("M", bound=Model)

_PREFIX = "after:"
_MAX_PK = 2**63 - 1  # the largest value of a BigAutoField


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The primary key a cursor points after; InvalidInput for anything we did not issue."""
    refused = InvalidInput(
        _("The cursor is not valid: pass the `next` value of the previous page."),
        field="cursor",
    )
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise refused from None
    digits = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not digits.isascii() or not digits.isdigit():
        raise refused
    pk = int(digits)
    if not 0 < pk <= _MAX_PK:
        raise refused
    return pk


def paginate(
    queryset: QuerySet[M], *, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of `queryset`, newest (highest primary key) first, and the next cursor."""
    if cursor:
        queryset = queryset.filter(pk__lt=decode_cursor(cursor))
    rows = list(queryset.order_by("-pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    page = rows[:limit]
    return page, encode_cursor(int(page[-1].pk))
