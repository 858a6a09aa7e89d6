"""Signatures of webhook deliveries, in the Standard Webhooks shape (standardwebhooks.com).

Each delivery carries `webhook-id` (the same on every retry), `webhook-timestamp` (when
this attempt was signed) and `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of
`id.timestamp.body`, keyed with the secret, which is `whsec_` and base64. While a secret
is being rotated the header holds two signatures, one for each secret, separated by a
space, so a receiver with either one accepts the delivery. Libraries for checking these
exist for most languages (docs/WEBHOOKS.md).

The X-Mutua-* headers of the first release are sent too, for one more release, and are
deprecated: `X-Mutua-Signature` is `sha256=` and the hex HMAC-SHA256 of
`timestamp.body`, keyed with the secret's bytes (for a webhook made before the change,
the hex secret it was given).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook as StandardWebhook

SECRET_PREFIX = "whsec_"  # noqa: S105 (the standard prefix, not a secret)
ID_HEADER = "webhook-id"
TIMESTAMP_HEADER_STANDARD = "webhook-timestamp"
SIGNATURE_HEADER_STANDARD = "webhook-signature"

# Deprecated (docs/WEBHOOKS.md): removed in the release after next.
SIGNATURE_HEADER = "X-Mutua-Signature"
TIMESTAMP_HEADER = "X-Mutua-Timestamp"
DELIVERY_HEADER = "X-Mutua-Delivery"
EVENT_HEADER = "X-Mutua-Event"


def new_secret() -> str:
    """A fresh secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def from_legacy(secret: str) -> str:
    """A secret of the first release (hex, used as its own bytes) in the standard form,
    keyed with the very same bytes: receivers holding the old secret still check the
    deprecated header, and the new header needs only the new spelling."""
    return SECRET_PREFIX + base64.b64encode(secret.encode()).decode()


def key_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def standard_signature(
    *, secrets_in_use: Iterable[str], message_id: str, timestamp: int, body: bytes
) -> str:
    """The webhook-signature header: one `v1,...` per secret, separated by spaces."""
    at = datetime.fromtimestamp(timestamp, UTC)
    return " ".join(
        StandardWebhook(secret).sign(message_id, at, body.decode())
        for secret in dict.fromkeys(secrets_in_use)
    )


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The deprecated X-Mutua-Signature header: "sha256=" and a hex digest."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(key_bytes(secret), message, hashlib.sha256).hexdigest()


def headers(
    *,
    secrets_in_use: list[str],
    message_id: str,
    event: str,
    timestamp: int,
    body: bytes,
) -> dict[str, str]:
    """Every signing header of one attempt: the standard ones and the deprecated ones."""
    return {
        ID_HEADER: message_id,
        TIMESTAMP_HEADER_STANDARD: str(timestamp),
        SIGNATURE_HEADER_STANDARD: standard_signature(
            secrets_in_use=secrets_in_use, message_id=message_id, timestamp=timestamp, body=body
        ),
        EVENT_HEADER: event,
        DELIVERY_HEADER: message_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret=secrets_in_use[0], timestamp=timestamp, body=body),
    }
