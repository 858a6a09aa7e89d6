"""Cleaning of what people type (free text, emails, language codes), shared by the services.

The limits here mirror the database columns: PostgreSQL refuses a value that is too long
or holds a NUL character with an error, which would reach the person as a crash; SQLite
would quietly store it. Refusing it here gives both databases the same clear answer.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput

# The width of an EmailField column; validate_email alone accepts up to 320 characters.
EMAIL_MAX_LENGTH = 254
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")


def clean_text(value: str, *, field: str, label: str, limit: int, required: bool = False) -> str:
    """`value` stripped, or InvalidInput naming `field` if it is missing, too long or unstorable."""
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("Please fill in %(label)s.") % {"label": label}, field=field)
    if len(value) > limit:
        raise InvalidInput(
            _("%(label)s is too long (at most %(limit)d characters).")
            % {"label": label, "limit": limit},
            field=field,
        )
    if "\x00" in value:
        raise InvalidInput(
            _("%(label)s contains a character that cannot be saved.") % {"label": label},
            field=field,
        )
    return value


def clean_email(value: str, *, field: str) -> str:
    """`value` stripped, or InvalidInput naming `field` if it is not a storable address."""
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise InvalidInput(_("Enter a valid email address."), field=field) from None
    if len(value) > EMAIL_MAX_LENGTH:
        raise InvalidInput(_("Enter a valid email address."), field=field)
    return value


def is_language_code(value: str) -> bool:
    """A language code such as "en", "bn" or "pt-BR"."""
    return _LANGUAGE_CODE.fullmatch(value) is not None
