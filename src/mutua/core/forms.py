"""Form helpers shared by the apps: a point pinned on the map, refusals shown on fields."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.core import geo
from mutua.core.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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


WHERE_NEEDED = _(
    "Tell us where help is needed: a town, district or postcode, or a point on the map."
)
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
