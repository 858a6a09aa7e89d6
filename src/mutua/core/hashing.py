"""Keyed hashes for finding a record by a personal value without storing the value.

A phone number is kept encrypted, and encryption gives a different text each time, so a
number cannot be looked up by its ciphertext. Its HMAC can: the same number always gives
the same hash, and without the key (MUTUA_LOOKUP_KEY, kept apart from the encryption key)
nobody can test a guessed number against the table.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def keyed_hash(value: str, *, purpose: str) -> str:
    """Hex HMAC-SHA256 of `value`; `purpose` keeps hashes made for different uses apart."""
    key = hmac.new(settings.MUTUA_LOOKUP_KEY.encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
