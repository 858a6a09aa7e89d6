"""The cryptography of federation, on standard pieces only.

* Requests between servers are signed with HTTP Message Signatures (RFC 9421), by the
  `http-message-signatures` package: Ed25519, covering the method, the target URI, the
  content type and the Content-Digest of the body (RFC 9530), with `created` and a
  random `nonce`, tagged `mutua-federation`. The receiver checks the signature with the
  key it pinned when the link was made, the age of `created`, and that the nonce is new.
* A handed-on ask's contact details are sealed to the receiving server's X25519 key, as
  a libsodium sealed box does it: an ephemeral X25519 key agreement, HKDF-SHA256 and
  ChaCha20-Poly1305 (all from `cryptography`). Only that server can open them; the
  sender keeps no key that could.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import http_sf
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    InvalidSignature,
    algorithms,
)
from http_message_signatures.exceptions import HTTPMessageSignaturesException

TAG = "mutua-federation"
COVERED = ("@method", "@target-uri", "content-type", "content-digest")
# A signed request older than this is refused: long enough for clocks a little apart,
# short enough that the nonces to remember stay few.
MAX_AGE = timedelta(minutes=5)
_SEAL_INFO = b"mutua-federation seal v1"
_SEAL_PREFIX = "x25519-chacha20poly1305."


class BadSignature(Exception):
    """The request's signature is missing, malformed, too old or does not verify."""


class CannotOpen(Exception):
    """A sealed value was not sealed to this server's key, or was changed."""


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def raw_public(key: ed25519.Ed25519PublicKey | x25519.X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private(key: ed25519.Ed25519PrivateKey | x25519.X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def key_id(signing_public: str) -> str:
    """A short, stable name of a signing key: its SHA-256, in hex, cut to 32 digits."""
    return hashlib.sha256(unb64(signing_public)).hexdigest()[:32]


@dataclass(frozen=True)
class KeyPair:
    """Base64 raw keys: Ed25519 for signing, X25519 for sealed contact details."""

    signing_private: str
    signing_public: str
    box_private: str
    box_public: str


def new_key_pair() -> KeyPair:
    signing = ed25519.Ed25519PrivateKey.generate()
    box = x25519.X25519PrivateKey.generate()
    return KeyPair(
        signing_private=b64(raw_private(signing)),
        signing_public=b64(raw_public(signing.public_key())),
        box_private=b64(raw_private(box)),
        box_public=b64(raw_public(box.public_key())),
    )


def valid_public_key(text: str) -> bool:
    """Whether `text` is a base64 raw 32-byte public key (Ed25519 or X25519)."""
    try:
        return len(unb64(text)) == 32
    except ValueError:
        return False


# Sealing -------------------------------------------------------------------------------


def _seal_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_SEAL_INFO)
    return hkdf.derive(shared)


def seal(values: dict[str, Any], *, to_box_public: str) -> str:
    """`values` as JSON, sealed so that only the holder of the X25519 key can read it."""
    recipient = unb64(to_box_public)
    ephemeral = x25519.X25519PrivateKey.generate()
    ephemeral_public = raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(x25519.X25519PublicKey.from_public_bytes(recipient))
    key = _seal_key(shared, ephemeral_public, recipient)
    nonce = secrets.token_bytes(12)
    plain = json.dumps(values, separators=(",", ":"), sort_keys=True).encode()
    sealed = ChaCha20Poly1305(key).encrypt(nonce, plain, ephemeral_public)
    return _SEAL_PREFIX + b64(ephemeral_public + nonce + sealed)


def open_sealed(sealed: str, *, box_private: str, box_public: str) -> dict[str, Any]:
    """The values `seal` sealed to this server's key, or CannotOpen."""
    if not sealed.startswith(_SEAL_PREFIX):
        raise CannotOpen("not a sealed value")
    try:
        raw = unb64(sealed.removeprefix(_SEAL_PREFIX))
    except ValueError:
        raise CannotOpen("not base64") from None
    if len(raw) < 32 + 12 + 16:
        raise CannotOpen("too short")
    ephemeral_public, nonce, body = raw[:32], raw[32:44], raw[44:]
    private = x25519.X25519PrivateKey.from_private_bytes(unb64(box_private))
    shared = private.exchange(x25519.X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _seal_key(shared, ephemeral_public, unb64(box_public))
    try:
        plain = ChaCha20Poly1305(key).decrypt(nonce, body, ephemeral_public)
    except InvalidTag:
        raise CannotOpen("sealed to another key, or changed") from None
    values = json.loads(plain)
    if not isinstance(values, dict):
        raise CannotOpen("not an object")
    return values


# Signing -------------------------------------------------------------------------------


@dataclass
class Message:
    """What the signing library reads of a request: method, absolute URL, headers."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


class _Keys(HTTPSignatureKeyResolver):
    def __init__(
        self,
        *,
        private: ed25519.Ed25519PrivateKey | None = None,
        public: dict[str, ed25519.Ed25519PublicKey] | None = None,
    ) -> None:
        self._private = private
        self._public = public or {}

    def resolve_private_key(self, key_id: str) -> ed25519.Ed25519PrivateKey:
        if self._private is None:
            raise KeyError(key_id)
        return self._private

    def resolve_public_key(self, key_id: str) -> ed25519.Ed25519PublicKey | None:
        return self._public.get(key_id)


def sign(
    *,
    url: str,
    body: bytes,
    signing_private: str,
    signing_public: str,
    created: datetime | None = None,
) -> dict[str, str]:
    """The headers of a signed JSON POST of `body` to `url`: Content-Type,
    Content-Digest, Signature-Input and Signature, with a fresh nonce."""
    private = ed25519.Ed25519PrivateKey.from_private_bytes(unb64(signing_private))
    message = Message(method="POST", url=url, headers={"Content-Type": "application/json"})
    signer = HTTPMessageSigner(
        signature_algorithm=algorithms.ED25519, key_resolver=_Keys(private=private)
    )
    signer.sign(
        message,
        key_id=key_id(signing_public),
        label="mutua",
        tag=TAG,
        created=created,
        nonce=secrets.token_urlsafe(24),
        covered_component_ids=COVERED,
        body=body,
    )
    return message.headers


@dataclass(frozen=True)
class Signed:
    """A verified request: who signed it and the nonce to check for replays."""

    key_id: str
    nonce: str


def signer_key_id(headers: dict[str, str]) -> str:
    """The keyid a request says it was signed with (not yet verified), or BadSignature."""
    value = _header(headers, "Signature-Input")
    try:
        parsed: Any = http_sf.parse(value.encode(), tltype="dictionary")
    except Exception:  # the parser raises several kinds on bad input
        raise BadSignature("malformed Signature-Input") from None
    for member in dict(parsed).values():
        params = member[1] if isinstance(member, tuple) and len(member) == 2 else {}
        if isinstance(params, dict) and params.get("tag") == TAG:
            keyid = params.get("keyid")
            if isinstance(keyid, str):
                return keyid
    raise BadSignature("no mutua-federation signature with a keyid")


def verify(
    *, method: str, url: str, headers: dict[str, str], body: bytes, signing_public: str
) -> Signed:
    """Check a request's signature with the pinned key; BadSignature says why not."""
    expected = key_id(signing_public)
    public = ed25519.Ed25519PublicKey.from_public_bytes(unb64(signing_public))
    verifier = HTTPMessageVerifier(
        signature_algorithm=algorithms.ED25519, key_resolver=_Keys(public={expected: public})
    )
    try:
        results = verifier.verify(
            Message(method=method, url=url, headers=headers),
            max_age=MAX_AGE,
            expect_tag=TAG,
            require_components=COVERED,
            body=body,
        )
    except (InvalidSignature, HTTPMessageSignaturesException) as exc:
        raise BadSignature(str(exc) or type(exc).__name__) from None
    result = results[0]
    nonce = result.nonce
    if result.parameters.get("keyid") != expected:
        raise BadSignature("signed with another key")
    if not isinstance(nonce, str) or not 16 <= len(nonce) <= 64:
        raise BadSignature("the signature has no usable nonce")
    return Signed(key_id=expected, nonce=nonce)


def _header(headers: dict[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    raise BadSignature(f"no {name} header")
