"""Encryption at rest of the private details of asks (contact, address, exact place).

Keys come from settings.MUTUA_ENCRYPTION_KEYS, newest first: the newest encrypts, every
key decrypts, so a new key can be put in front and old rows re-encrypted at leisure
(`mutua rotate-keys`, README "Privacy").
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "encrypt", "rotate"]


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        # Never show the key itself: the message ends up in logs.
        raise ImproperlyConfigured(
            "MUTUA_ENCRYPTION_KEY must be comma-separated Fernet keys (32 url-safe base64 bytes)"
        ) from None


def _current() -> MultiFernet:
    return _fernet(tuple(settings.MUTUA_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _current().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The same secret encrypted with the newest key."""
    return _current().rotate(token.encode()).decode()
