"""The old home of the encrypted model fields, kept importable for aid's migration 0003.

The fields live in `mutua.core.fields` (aid stores encrypted columns, and aid sits below
privacy). Migrations already applied on installs may not be edited, and 0003 names this
path; new code imports `mutua.core.fields`.
"""

from __future__ import annotations

from mutua.core.fields import EncryptedFloatField, EncryptedTextField

__all__ = ["EncryptedFloatField", "EncryptedTextField"]
