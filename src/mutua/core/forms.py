"""Form helpers shared by the apps: reading a place from what a person typed or pinned."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.core import geo
from mutua.core.errors import DomainError
from mutua.groups.selectors import locate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_POINT = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_point(text: str) -> tuple[float, float] | None:
    """A "lat, lon" pair typed as text, or None if the text is not one."""
    match = _POINT.match(text)
    if match is None:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    return (lat, lon) if geo.valid_point(lat, lon) else None


def resolve_place(*texts: str) -> tuple[float, float] | None:
    """The first of `texts` that is a "lat, lon" pair or names a known town or district."""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        point = parse_point(text) or locate(text)
        if point is not None:
            return point
    return None


def pinned_point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """The point set on the map or by "use my location", when both halves are usable."""
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return (lat, lon) if geo.valid_point(lat, lon) else None


class HiddenCoordinate(forms.FloatField):
    """A latitude or longitude filled in by the map script; absent when JavaScript is off."""

    widget = forms.HiddenInput

    def __init__(self, *, label: StrOrPromise, minimum: float, maximum: float) -> None:
        super().__init__(label=label, required=False, min_value=minimum, max_value=maximum)


PLACE_NOT_FOUND = _(
    "We could not find that place. Type a town or district (for example “Bethnal Green”), "
    "or choose a point on the map."
)


def attach_domain_error(
    form: forms.Form, error: DomainError, field_names: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    field = (field_names or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)
