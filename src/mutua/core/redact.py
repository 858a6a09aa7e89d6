"""Keeping keys, tokens, e-mail addresses and phone numbers out of the logs.

Logs are read by more people than the database is, are kept longer and are copied to
other machines. Every log line goes through `redact` on its way out: the console handler
of Django's logging (settings.LOGGING) and gunicorn's access and error logs (`mutua
serve`). The access log also leaves out query strings and the referrer, where the
private link of an ask carries its key.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

_RULES: list[tuple[re.Pattern[str], str]] = [
    # Secret values in query strings and forms: ?key=..., &token=..., password=...
    (
        re.compile(
            r"(?i)\b(key|token|secret|password|signature|code|sig)=([^&\s\"']+)",
        ),
        r"\1=[hidden]",
    ),
    # Bearer tokens in headers that end up quoted in a message.
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [hidden]"),
    # allauth's links: /accounts/password/reset/key/<key>/, /accounts/confirm-email/<key>/
    (re.compile(r"(/(?:key|confirm-email)/)[^/\s\"']+"), r"\1[hidden]"),
    # Credentials inside URLs (Apprise addresses: tgram://bottoken/chat, mailto://u:p@host).
    (re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/\s\"'@]+@"), r"\1[hidden]@"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
    # International numbers (+44 7700 900123, +447700900123) and national ones (07700900123).
    (re.compile(r"\+\d[\d\s().-]{5,}\d"), "[phone]"),
    (re.compile(r"(?<![\w.:-])0\d{9,10}(?![\w.:-])"), "[phone]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    """Rewrites each record's message with `redact` (and its traceback text too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


# Who asked (address), when, the request line without its query string, the answer's
# status and size, and how long it took. No referrer, no query, no user agent.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


class RedactingGunicornLogger(GunicornLogger):  # type: ignore[misc]
    """gunicorn's logger with every line of its access and error logs redacted."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(RedactFilter())
