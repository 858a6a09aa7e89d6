"""Real servers on loopback for notify's tests: an SMTP server (aiosmtpd) and an HTTP SMS
gateway that Apprise posts to; and texting the webhook the way Twilio does, signed."""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4
from xml.etree import ElementTree

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from twilio.request_validator import RequestValidator

from mutua.people.models import User

TOKEN = "twilio-test-auth-token"
GROUP_NUMBER = "+447700900000"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """What an SMTP server received: one entry per accepted message."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [m for rcpt, m in self.received if address in rcpt]

    def wait(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on a free loopback port, with mail set to go to it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


class Gateway:
    """An HTTP SMS gateway: Apprise's json:// posts each text here."""

    def __init__(self) -> None:
        self.texts: list[dict[str, Any]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length) or b"{}")
                gateway.texts.append({"path": self.path, **payload})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def sent_to(self, phone: str) -> list[str]:
        return [t["message"] for t in self.texts if t["path"].endswith(phone.lstrip("+"))]


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[Gateway]:
    gateway = Gateway()
    # The number goes in the path, as in most gateways' Apprise URLs.
    settings.MUTUA_SMS_APPRISE_URL = f"json://127.0.0.1:{gateway.port}/send/{{phone}}"
    try:
        yield gateway
    finally:
        gateway.server.shutdown()
        gateway.server.server_close()


@pytest.fixture(autouse=True)
def _twilio(settings: Any) -> None:
    settings.MUTUA_TWILIO_AUTH_TOKEN = TOKEN
    settings.MUTUA_SMS_NUMBER = GROUP_NUMBER
    settings.MUTUA_PUBLIC_URL = ""


def signed_post(
    client: Client,
    params: dict[str, str],
    *,
    url: str = "http://testserver/sms/inbound",
    token: str = TOKEN,
    **extra: Any,
) -> Any:
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post(
        "/sms/inbound",
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
        **extra,
    )


def reply_of(response: Any) -> str:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own view's answer)
    assert root.tag == "Response"
    return root.findtext("Message") or ""


def text(body: str, *, phone: str = "+447700900111", sid: str = "") -> str:
    """Text the group's number as Twilio delivers it; returns the reply."""
    params = {
        "MessageSid": sid or f"SM{uuid4().hex}",
        "From": phone,
        "To": GROUP_NUMBER,
        "Body": body,
    }
    return reply_of(signed_post(Client(), params))


def link_phone(user: User, phone: str) -> None:
    """Link a member's phone the way a member does: a code from the page, texted back."""
    client = Client()
    client.force_login(user)
    page = client.post("/me/notifications/link", follow=True).content.decode()
    found = re.search(r"LINK (\d{8})", page)
    assert found is not None, page
    assert "linked" in text(f"LINK {found.group(1)}", phone=phone)
