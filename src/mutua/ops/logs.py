"""Log formats (MUTUA_LOG_FORMAT: text or json) that keep personal data out of the logs.

mutua's own log lines name people and asks by number only. These formatters are the net
under that rule for what other code writes (a mail server's refusal quoting an address, a
database error quoting a value, a path with a private link's key): e-mail addresses,
phone numbers and link keys are masked in the finished line, tracebacks included.
"""

from __future__ import annotations

import logging
import re

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# International (+44 ..., 0044 ...) or national (020 ..., 07700 ...) numbers of 8 to 15
# digits, with spaces, dots or dashes between; not dates or times, which start otherwise.
PHONE = re.compile(r"(?<![\w+-])(?:\+|0)\d(?:[ .\-]?\d){7,14}(?![\w-])")
# Secrets in query strings and headers: private ask links, tokens, signatures.
SECRET = re.compile(r"(?i)\b(key|token|code|signature|password)=([^&\s\"']+)")


def redact(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub("[phone]", text)
    return SECRET.sub(r"\1=[hidden]", text)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: time, level, logger, message, and the exception if any."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
