"""The guarded outbound client: no request of the server reaches a non-public address.

No traffic leaves the machine: names are resolved by a stand-in for DNS, and the only
servers are on 127.0.0.1 (reached only where private targets are allowed).
"""

from __future__ import annotations

import http.server
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import trustme

from mutua.core import outbound

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"

REFUSED = [
    "127.0.0.1",
    "127.5.5.5",
    "0.0.0.0",  # noqa: S104 (an address refused, not bound)
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.10",
    "169.254.169.254",  # cloud metadata
    "100.100.100.200",  # Alibaba metadata, in the carrier-NAT range
    "100.64.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.0.8",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",  # AWS metadata over IPv6
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 around 169.254.169.254
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo around 127.0.0.1
]


def _info(address: str, port: int) -> tuple[Any, ...]:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
    return (family, socket.SOCK_STREAM, 6, "", sockaddr)


outbound_real_getaddrinfo = outbound._system_getaddrinfo


class FakeDNS:
    """Answers for names under .test; counts the look-ups. Literal addresses are read as
    the system reads them, without asking any DNS server."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    def __call__(self, host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in self.answers:
            kwargs["flags"] = kwargs.get("flags", 0) | socket.AI_NUMERICHOST
            return outbound_real_getaddrinfo(host, port, *args, **kwargs)
        self.lookups.append(host)
        queue = self.answers[host]
        current = queue.pop(0) if len(queue) > 1 else queue[0]
        return [_info(address, int(port or 0)) for address in current]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDNS]:
    fake = FakeDNS({})
    monkeypatch.setattr(outbound, "_system_getaddrinfo", fake)
    yield fake


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Records where the client tries to connect, and connects nowhere."""
    attempts: list[tuple[str, int]] = []

    def refuse(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address)
        raise ConnectionRefusedError("test: no connection made")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def _post(url: str) -> outbound.Response:
    return outbound.post(url, body=b"{}", headers={"Content-Type": "application/json"}, timeout=5)


@pytest.mark.parametrize("address", REFUSED)
def test_a_name_resolving_to_a_non_public_address_is_refused_before_connecting(
    address, dns, no_connections, settings
):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False
    dns.answers["hooks.example.test"] = [[address]]

    with pytest.raises(outbound.RefusedDestination):
        _post("https://hooks.example.test/in")

    assert no_connections == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://224.0.0.1/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://0x7f.1/",
        "http://[fe80::1%25eth0]/",
    ],
)
def test_literal_addresses_are_refused_in_every_spelling(url, no_connections, settings):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False

    with pytest.raises(outbound.RefusedDestination):
        _post(url)

    assert no_connections == []


def test_one_private_answer_among_public_ones_refuses_the_name(dns, no_connections, settings):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False
    dns.answers["hooks.example.test"] = [[PUBLIC_V4, "10.0.0.7"]]

    with pytest.raises(outbound.RefusedDestination):
        _post("https://hooks.example.test/in")
    assert no_connections == []


@pytest.mark.parametrize("address", [PUBLIC_V4, PUBLIC_V6, f"::ffff:{PUBLIC_V4}"])
def test_public_addresses_are_called_at_the_address_that_was_checked(
    address, dns, no_connections, settings
):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False
    # DNS rebinding: public when checked, loopback for anyone who asks again.
    dns.answers["hooks.example.test"] = [[address], ["127.0.0.1"]]

    with pytest.raises(ConnectionRefusedError):
        _post("http://hooks.example.test:8080/in")

    assert dns.lookups == ["hooks.example.test"]
    assert [(ipaddress.ip_address(a), port) for a, port in no_connections] == [
        (ipaddress.ip_address(address), 8080)
    ]


def test_private_targets_need_the_explicit_setting(dns, no_connections, settings):
    dns.answers["printer.example.test"] = [["192.168.1.20"]]

    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False
    with pytest.raises(outbound.RefusedDestination):
        _post("http://printer.example.test/")
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    with pytest.raises(ConnectionRefusedError):
        _post("http://printer.example.test/")
    assert no_connections == [("192.168.1.20", 80)]


def test_other_schemes_are_refused(settings):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    for url in ("file:///etc/passwd", "gopher://example.test/", "ftp://example.test/"):
        with pytest.raises(outbound.RefusedDestination):
            _post(url)


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]]

    def do_POST(self) -> None:
        self.seen.append({"host": self.headers["Host"], "path": self.path})
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.1:1/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[http.server.HTTPServer, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, seen
    server.shutdown()
    server.server_close()


def test_the_host_name_is_sent_and_redirects_are_not_followed(dns, receiver, settings):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    server, seen = receiver
    port = server.server_address[1]
    dns.answers["hooks.example.test"] = [["127.0.0.1"]]

    response = _post(f"http://hooks.example.test:{port}/in?x=1")

    assert response.status == 302
    assert seen == [{"host": f"hooks.example.test:{port}", "path": "/in?x=1"}]


@pytest.fixture
def tls_receiver(
    receiver: tuple[http.server.HTTPServer, list[dict[str, str]]],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[int, list[dict[str, str]]]]:
    server, seen = receiver
    authority = trustme.CA()
    certificate = authority.issue_cert("hooks.example.test")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)

    def trusting() -> ssl.SSLContext:
        context = ssl.create_default_context()
        authority.configure_trust(context)
        return context

    monkeypatch.setattr(outbound, "_tls_context", trusting)
    yield server.server_address[1], seen


def test_https_checks_the_certificate_against_the_name_not_the_address(dns, tls_receiver, settings):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    port, seen = tls_receiver
    dns.answers["hooks.example.test"] = [["127.0.0.1"]]
    dns.answers["other.example.test"] = [["127.0.0.1"]]

    assert _post(f"https://hooks.example.test:{port}/in").status == 302
    with pytest.raises(ssl.SSLCertVerificationError):
        _post(f"https://other.example.test:{port}/in")
    assert [visit["host"] for visit in seen] == [f"hooks.example.test:{port}"]


def test_libraries_inside_guarded_cannot_resolve_private_names(dns, settings):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False
    dns.answers["ntfy.example.test"] = [["127.0.0.1"]]
    outbound.install_guard()

    # Outside the guard the server's own connections (database, mail server) still resolve.
    assert socket.getaddrinfo("ntfy.example.test", 80)
    with outbound.guarded(), pytest.raises(outbound.RefusedDestination):
        socket.getaddrinfo("ntfy.example.test", 80)


def test_check_host_is_the_same_rule_for_saving_an_address(dns, settings):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = False
    dns.answers["ok.example.test"] = [[PUBLIC_V4]]
    dns.answers["bad.example.test"] = [["fd00:ec2::254"]]

    outbound.check_host("ok.example.test")
    with pytest.raises(outbound.RefusedDestination):
        outbound.check_host("bad.example.test")
    with pytest.raises(outbound.RefusedDestination):
        outbound.check_host("[::1]")
