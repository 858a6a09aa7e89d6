"""The one way the server calls out to addresses that people give it.

Webhooks, members' notification addresses and linked servers (federation) all name hosts chosen
by someone other than whoever runs the server. Left alone, such a request is a way into
the server's own network: its loopback, the private network behind it, the cloud
provider's metadata service. So every such call goes through here:

* the host is resolved once, and every address it resolves to must be public: not
  loopback, private, link-local (the metadata address 169.254.169.254 among them),
  shared (carrier NAT), multicast, reserved or unspecified, in IPv4 or IPv6, with IPv4
  addresses carried inside IPv6 (mapped, 6to4, Teredo, NAT64) unwrapped and checked too;
* the connection goes to the address that was checked, never to a second look-up (a
  name that resolves to a public address once and to 127.0.0.1 the next time gets
  nowhere), with the host's own name in the Host header and in TLS (SNI and the
  certificate check);
* redirects are not followed: the receiver's answer is the answer.

Libraries that open their own connections (Apprise) run inside `guarded()`, where every
name they look up is checked the same way as it is resolved, so the address they connect
to is the one that passed.

Only MUTUA_OUTBOUND_ALLOW_PRIVATE lets the server call private addresses, for
self-hosters whose receivers live on their own network.
"""

from __future__ import annotations

import contextvars
import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Looked up through this name so that the guard below, once installed in place of
# socket.getaddrinfo, still reaches the real resolver (and tests can stand in for DNS).
_system_getaddrinfo: Callable[..., list[Any]] = socket.getaddrinfo

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Addresses ipaddress calls global that no receiver of ours can legitimately have.
_ALSO_REFUSED = (
    ipaddress.ip_network("192.0.0.0/24"),  # IETF protocol assignments
    ipaddress.ip_network("2001::/23"),  # IETF protocol assignments (Teredo is unwrapped)
)
_guard_active: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "mutua_outbound_guard", default=False
)


class RefusedDestination(OSError):
    """The destination is not a public address (or cannot be resolved).

    An OSError, so that a library asked to connect inside `guarded()` treats it like
    any failed connection. `reason` is safe to show to the member who gave the address.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


def private_targets_allowed() -> bool:
    return bool(settings.MUTUA_OUTBOUND_ALLOW_PRIVATE)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address) -> str:
    """Why the server must not connect to `address`, or "" if it may."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return refusal(inner)
    kinds = (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for kind, matches in kinds:
        if matches:
            return f"{address} is a {kind} address"
    if not address.is_global or any(address in network for network in _ALSO_REFUSED):
        return f"{address} is not a public address"
    return ""


def _parse(raw: str) -> Address:
    # A scoped IPv6 address ("fe80::1%eth0") names its interface after the "%".
    return ipaddress.ip_address(raw.split("%", 1)[0])


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to, each allowed, or RefusedDestination.

    One refused address refuses the host: a name that resolves to a public and a private
    address could be answered with either.
    """
    try:
        infos = _system_getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise RefusedDestination(f"cannot resolve {host}: {exc}") from None
    addresses = list(dict.fromkeys(_parse(str(info[4][0])) for info in infos))
    if not addresses:
        raise RefusedDestination(f"{host} has no address")
    if not private_targets_allowed():
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise RefusedDestination(f"{host}: {reason}")
    return addresses


def check_host(host: str, port: int = 443) -> None:
    """Raise RefusedDestination unless `host` resolves to public addresses only.

    For checking an address when it is saved; it is checked again when it is used,
    because what a name resolves to can change in between.
    """
    resolve(host.strip("[]"), port)


_LOCAL_NAMES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


def names_private_target(host: str, port: int = 443) -> bool:
    """Whether `host`, given for later use, names this machine or a private network now.

    For checking an address when it is saved. A name that cannot be resolved yet passes
    (its DNS may not be set up yet): it is resolved and checked again at every use.
    """
    if private_targets_allowed():
        return False
    lowered = host.strip("[]").lower().rstrip(".")
    if lowered == "localhost" or lowered.endswith(_LOCAL_NAMES):
        return True
    try:
        check_host(lowered, port)
    except RefusedDestination as refused:
        return not refused.reason.startswith("cannot resolve")
    return False


def _guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
    infos = _system_getaddrinfo(host, port, *args, **kwargs)
    if _guard_active.get() and not private_targets_allowed():
        for info in infos:
            reason = refusal(_parse(str(info[4][0])))
            if reason:
                raise RefusedDestination(f"{host}: {reason}")
    return infos


def install_guard() -> None:
    """Put the checking resolver in place of socket.getaddrinfo (once, at start-up).

    Outside `guarded()` it only passes the call on: the database, the mail server and
    Redis may well be on this machine, and are the owner's own choice.
    """
    if socket.getaddrinfo is not _guarded_getaddrinfo:
        socket.getaddrinfo = _guarded_getaddrinfo


@contextmanager
def guarded() -> Iterator[None]:
    """Inside this block every name looked up in this thread (and in the threads Apprise
    starts from it, which copy the context) must resolve to public addresses."""
    token = _guard_active.set(True)
    try:
        yield
    finally:
        _guard_active.reset(token)


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address already checked, whatever the host name now resolves to."""

    def __init__(self, host: str, port: int, *, address: Address, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self._address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: Address, timeout: float) -> None:
        self._tls = _tls_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((str(self._address), self.port), self.timeout)
        # The name, not the address, for SNI and for checking the certificate.
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    """POST `body` to an http(s) `url` and return the receiver's answer, unfollowed.

    RefusedDestination when the host is not public; other OSErrors (refused, timed out,
    a bad certificate) when the receiver cannot be reached.
    """
    return _send("POST", url, body=body, headers=headers, timeout=timeout)


def get(url: str, *, headers: dict[str, str], timeout: float, limit: int = 65536) -> Response:
    """GET an http(s) `url` through the same checks as `post`, reading at most `limit`
    bytes of the answer (a linked server's public document, never a big download)."""
    return _send("GET", url, body=None, headers=headers, timeout=timeout, limit=limit)


def _send(
    method: str,
    url: str,
    *,
    body: bytes | None,
    headers: dict[str, str],
    timeout: float,
    limit: int = 4096,
) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedDestination("only http:// and https:// addresses can be called")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port)[0]
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address=address, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection.request(method, target, body=body, headers=headers)
        answer = connection.getresponse()
        # Enough to log why a receiver refused; a receiver cannot make the server read more.
        return Response(status=answer.status, body=answer.read(limit))
    except http.client.HTTPException as exc:
        raise OSError(f"the receiver's answer was not HTTP: {type(exc).__name__}") from None
    finally:
        connection.close()
