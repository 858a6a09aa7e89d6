"""Model fields stored encrypted (Fernet) and read back as plain values in Python.

The database holds only ciphertext, so the columns cannot be searched or compared in
SQL: filter on other columns and compare in Python. An empty value is stored empty,
which tells no more than a blank form field.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.expressions import Combinable

from mutua.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest. `max_length` checks the clear text, as a CharField would."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self.to_python(value)
        return self.to_python(crypto.decrypt(value))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)


class EncryptedFloatField(models.Field):  # type: ignore[type-arg]
    """A float (a latitude or longitude) encrypted at rest; Python sees a float."""

    # What django-stubs reads as the attribute's type on the model.
    _pyi_private_set_type: float | int | Combinable
    _pyi_private_get_type: float

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return float(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        if value is None or value == "" or isinstance(value, float):
            return value
        return float(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.encrypt(repr(float(value)))
