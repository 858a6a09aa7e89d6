"""Shapes shared by every app's API routes: errors, paging, a point on the map and a moment."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, field_validator


class ErrorOut(Schema):
    """Every refusal: a sentence for a person, and the field at fault when there is one."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"detail": "Someone else has already taken this ask."}]}
    )

    detail: str = Field(..., description="What went wrong, in words a person can act on")
    field: str | None = Field(None, description="The input field at fault, if any")


class ValidationErrorOut(Schema):
    """Input of the wrong shape (a missing field, a number out of range)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "place.lat: Must be at most 90.",
                    "errors": [{"type": "less_than_equal", "loc": ["body", "payload", "lat"]}],
                }
            ]
        }
    )

    detail: str
    errors: list[dict[str, Any]] = Field(..., description="pydantic's errors, one per problem")


# What each status means on every route; a route lists the ones it can answer with.
ERROR_MEANINGS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


def errors(*codes: int) -> dict[int, type[Schema]]:
    """The error responses a route documents, always with 422 (bad shape), and 413 and
    415 (a body too large, or not sent as application/json; core.api_errors)."""
    return {code: ERROR_MEANINGS[code] for code in sorted({*codes, 413, 415, 422})}


# Token routes can also be refused for the token itself: missing or revoked (401), a
# read-only token on a write (403), too many requests (429).
TOKEN_ERRORS = (401, 403, 429)


# A group's short name, as Django's slug converter takes it in URLs.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class PageQuery(Schema):
    cursor: str | None = Field(
        None, max_length=64, description="The `next` value of the previous page; omit for the first"
    )
    limit: int = Field(50, ge=1, le=100, description="Items per page, 1 to 100")


def not_a_truth_value(value: object) -> object:
    """A coordinate as input, checked before pydantic reads it: JSON's true would read as
    1.0 and put an ask at latitude 1, in the sea, instead of being refused."""
    if isinstance(value, bool):
        # In the request's language: core.input_errors passes our own messages through.
        raise ValueError(_("Must be a number, not true or false."))
    return value


# A point: where an ask is, or a member's home (of which people keeps only the coarse cell).
class PlaceIn(Schema):
    lat: float = Field(..., ge=-90, le=90, description="Latitude in degrees (WGS 84)")
    lon: float = Field(..., ge=-180, le=180, description="Longitude in degrees (WGS 84)")

    @field_validator("lat", "lon", mode="before")
    @classmethod
    def _numbers_only(cls, value: object) -> object:
        return not_a_truth_value(value)


def _aware(value: datetime) -> datetime:
    # A script or a spreadsheet often sends "2025-03-01T08:00" or a bare date: read it in
    # the server's time zone, as the pages' forms do, instead of failing (a 500) where the
    # service compares it with the current time.
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# A date-time a person gives as input: with an offset, or else in the server's time zone.
Moment = Annotated[datetime, AfterValidator(_aware)]


def without_time_zone(value: time | None) -> time | None:
    """A time of day as input (a shift's start, a member's availability): it is a time
    where the group or the member is, not an instant, so one with a zone (or a JSON number,
    which pydantic reads as seconds in UTC) is refused rather than stored wrongly."""
    if value is not None and value.tzinfo is not None:
        raise ValueError(_("Give a time of day without a time zone, such as 09:00."))
    return value
