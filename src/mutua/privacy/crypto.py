"""The old home of the encryption helpers, kept importable for aid's migration 0003.

They live in `mutua.core.crypto` (see `mutua.privacy.fields`); new code imports that.
"""

from __future__ import annotations

from mutua.core.crypto import InvalidToken, decrypt, encrypt, rotate

__all__ = ["InvalidToken", "decrypt", "encrypt", "rotate"]
