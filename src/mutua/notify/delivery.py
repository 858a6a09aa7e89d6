"""Putting one message on the wire: email through Django's mail backend (SMTP), texts and
everything else through Apprise. No database here; the outbox service decides when."""

from __future__ import annotations

import contextlib
import logging
import smtplib
from urllib.parse import quote

import apprise
from django.conf import settings
from django.core.mail import EmailMessage

from mutua.core import outbound

# Apprise schemes that post to any address given: a member's own setting must not make the
# server call into its own network (the group's webhooks are the tool for that).
GENERIC_SCHEMES = {"json", "jsons", "xml", "xmls", "form", "forms", "http", "https"}


class DeliveryError(Exception):
    """Sending failed. `permanent`: retrying cannot help (a bad address)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def sms_configured() -> bool:
    return bool(settings.MUTUA_SMS_APPRISE_URL)


def sms_url(phone: str) -> str:
    return str(settings.MUTUA_SMS_APPRISE_URL).replace("{phone}", quote(phone, safe="+"))


def is_usable_apprise_url(url: str) -> bool:
    """Whether Apprise can send to `url`, and it is not a generic web address."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if not scheme or scheme in GENERIC_SCHEMES:
        return False
    return bool(apprise.Apprise().add(url))


def apprise_private_host(url: str) -> bool:
    """Whether the service `url` names is on this machine or a private network.

    A member's own address must not make the server call into its own network; only
    whoever runs the server may allow that (MUTUA_OUTBOUND_ALLOW_PRIVATE).
    """
    plugin = apprise.Apprise.instantiate(url)
    host = str(getattr(plugin, "host", "") or "") if plugin else ""
    return bool(host) and outbound.names_private_target(host)


def send_email(*, to: str, subject: str, body: str, reply_to: str = "") -> None:
    try:
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [to],
            reply_to=[reply_to] if reply_to else None,
        ).send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"the mail server refused the address: {exc}", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        # OSError covers refused connections and timeouts: the server may be back later.
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


def send_apprise(*, url: str, title: str, body: str, members_own: bool = True) -> None:
    """Send through Apprise. A member's own address (`members_own`) is checked again now,
    and every name Apprise looks up while sending must be public, so a name that has
    come to point at a private address since it was saved gets nowhere. The site's own
    gateway (MUTUA_SMS_APPRISE_URL) is the owner's choice and is not limited."""
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryError("Apprise cannot use this address", permanent=True)
    if members_own and apprise_private_host(url):
        raise DeliveryError(
            "the address points at this server or a private network", permanent=True
        )
    guard = outbound.guarded() if members_own else contextlib.nullcontext()
    # Apprise reports why it failed only in its log; keep that for the delivery log.
    with guard, apprise.LogCapture(level=logging.WARNING) as log:  # type: ignore[no-untyped-call]
        sent = notifier.notify(title=title, body=body)
    if not sent:
        lines = [line for line in log.getvalue().splitlines() if line.strip()]
        raise DeliveryError(lines[-1] if lines else "the service did not accept the message")


def send_sms(*, phone: str, body: str) -> None:
    if not sms_configured():
        raise DeliveryError("no SMS gateway is set up (MUTUA_SMS_APPRISE_URL)", permanent=True)
    send_apprise(url=sms_url(phone), title="", body=body, members_own=False)
