"""Signatures of webhook deliveries: HMAC-SHA256 over the timestamp and the body.

The receiver recomputes it with the hook's secret (docs/WEBHOOKS.md shows how). Signing
the timestamp too means a captured delivery cannot be replayed later under a new one.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Mutua-Signature"
TIMESTAMP_HEADER = "X-Mutua-Timestamp"
DELIVERY_HEADER = "X-Mutua-Delivery"
EVENT_HEADER = "X-Mutua-Event"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The value of the X-Mutua-Signature header: "sha256=" and a hex digest."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
