"""`mutua sms FROM TEXT`: text a mutua server's webhook the way Twilio does, and print the
reply. For trying SMS out without a phone, and for checking a set-up behind a proxy."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4
from xml.etree import ElementTree

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from twilio.request_validator import RequestValidator


class Command(BaseCommand):
    help = gettext_noop(
        "Send a text to a mutua server's SMS webhook as Twilio would, signed with "
        "MUTUA_TWILIO_AUTH_TOKEN, and print the reply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "sender", metavar="FROM", help=_("the number texting, e.g. +447700900123")
        )
        parser.add_argument(
            "text", metavar="TEXT", help=_('what they text, e.g. "HELP shopping in Hackney"')
        )
        parser.add_argument(
            "--url",
            help=_(
                "the webhook (default: MUTUA_PUBLIC_URL, else http://127.0.0.1:8000, "
                "then /sms/inbound)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        token = str(settings.MUTUA_TWILIO_AUTH_TOKEN)
        if not token:
            raise CommandError(_("Set MUTUA_TWILIO_AUTH_TOKEN, the same as the server's."))
        base = str(settings.MUTUA_PUBLIC_URL) or "http://127.0.0.1:8000"
        url = options["url"] or f"{base}/sms/inbound"
        if not url.startswith(("http://", "https://")):
            raise CommandError(_("--url must start with http:// or https://, not %r") % url)
        params = {
            "MessageSid": f"SM{uuid4().hex}",
            "From": options["sender"],
            "To": str(settings.MUTUA_SMS_NUMBER),
            "Body": options["text"],
        }
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            url,
            data=urlencode(params).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": RequestValidator(token).compute_signature(url, params),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace").strip().splitlines()
            raise CommandError(
                _("The server answered %(status)d: %(detail)s")
                % {"status": exc.code, "detail": detail[0] if detail else exc.reason}
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CommandError(
                _("Cannot reach %(url)s: %(reason)s") % {"url": url, "reason": reason}
            ) from None
        try:
            # The operator's own server; and Python's expat (2.4+) refuses entity bombs.
            reply = ElementTree.fromstring(body).findtext("Message")  # noqa: S314
        except ElementTree.ParseError:
            reply = None
        if reply is None:
            raise CommandError(
                _("The server's answer is not TwiML: is %(url)s a mutua webhook?") % {"url": url}
            )
        self.stdout.write(reply)
