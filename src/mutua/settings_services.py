"""Settings of mutua's own services: notifications and SMS, health and metrics, logs.
Part of mutua.settings, which imports all of it; every variable is in the README's
configuration table."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from mutua.env import env_choice, env_int, env_str

# Notifications and SMS (README, "SMS and notifications").
# The address people reach the site at (https://aid.example.org): Twilio signs the URL it
# posts to, and behind a proxy Django cannot see that URL for itself.
MUTUA_PUBLIC_URL = env_str("MUTUA_PUBLIC_URL", "").rstrip("/")
MUTUA_TWILIO_AUTH_TOKEN = env_str("MUTUA_TWILIO_AUTH_TOKEN", "")
# An Apprise URL for sending texts, with {phone} where the number goes, for example
# twilio://SID:TOKEN@+15551234567/{phone}. Empty: no texts are sent (replies still are).
MUTUA_SMS_APPRISE_URL = env_str("MUTUA_SMS_APPRISE_URL", "")
# The group's number, shown on the pages so people know where to text.
MUTUA_SMS_NUMBER = env_str("MUTUA_SMS_NUMBER", "")
# Relay conversations (README, "Talking without swapping numbers"). The domain of the
# per-conversation reply addresses (relay-12h-...@DOMAIN); empty: no replies by e-mail.
MUTUA_RELAY_REPLY_DOMAIN = env_str("MUTUA_RELAY_REPLY_DOMAIN", "")
# The secret a mail gateway sends to POST /mail/inbound (Authorization: Bearer ...);
# empty: the webhook refuses everything (`mutua receivemail` on stdin still works).
MUTUA_INBOUND_MAIL_SECRET = env_str("MUTUA_INBOUND_MAIL_SECRET", "")
# A worker that has not finished sending a message within this time is taken for dead,
# and the message is sent by another. Keep it well above MUTUA_EMAIL_TIMEOUT.
MUTUA_NOTIFY_LEASE_SECONDS = env_int("MUTUA_NOTIFY_LEASE_SECONDS", 120, minimum=1)
# How often the worker looks for messages to retry or to take over from a dead worker.
MUTUA_NOTIFY_SWEEP_SECONDS = env_int("MUTUA_NOTIFY_SWEEP_SECONDS", 30, minimum=1)
# The hour (site time zone) of the daily digest of new asks near a member.
MUTUA_DIGEST_HOUR = env_int("MUTUA_DIGEST_HOUR", 8, minimum=0)
if MUTUA_DIGEST_HOUR > 23:
    raise ImproperlyConfigured(f"MUTUA_DIGEST_HOUR must be from 0 to 23, not {MUTUA_DIGEST_HOUR}")

# Shared resources (README, "Shared resources").
# The currency of new ledgers (ISO 4217 code); amounts are kept in its smallest unit.
MUTUA_CURRENCY = env_str("MUTUA_CURRENCY", "GBP").strip().upper()
if len(MUTUA_CURRENCY) != 3 or not MUTUA_CURRENCY.isalpha():
    raise ImproperlyConfigured(f"MUTUA_CURRENCY must be a code such as GBP, not {MUTUA_CURRENCY!r}")

# Health and metrics (README, "Health and metrics").
# /healthz answers 503 when the worker has not run its heartbeat for this long.
MUTUA_WORKER_SILENT_SECONDS = env_int("MUTUA_WORKER_SILENT_SECONDS", 300, minimum=30)
# /healthz answers 503 when less than this is free where the data lives.
MUTUA_MIN_FREE_DISK_MB = env_int("MUTUA_MIN_FREE_DISK_MB", 200, minimum=0)
# A scraper sending "Authorization: Bearer <this>" may read /metrics from anywhere;
# without it, only this machine may (not through a proxy).
MUTUA_METRICS_TOKEN = env_str("MUTUA_METRICS_TOKEN", "")

# Logs go to standard error, one line each: text, or JSON for a log collector. Either
# way e-mail addresses, phone numbers and link keys are masked (mutua.ops.logs).
MUTUA_LOG_FORMAT = env_str("MUTUA_LOG_FORMAT", "text")
if MUTUA_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"MUTUA_LOG_FORMAT must be text or json, not {MUTUA_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No key, token, e-mail or phone number in any line, at any level (mutua.core.redact);
    # the formatters (mutua.ops.logs) mask them again in the finished line, tracebacks too.
    "filters": {"redact": {"()": "mutua.core.redact.RedactFilter"}},
    "formatters": {
        "text": {
            "()": "mutua.ops.logs.TextFormatter",
            "format": "%(levelname)s %(name)s: %(message)s",
        },
        "json": {"()": "mutua.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            "formatter": MUTUA_LOG_FORMAT,
        }
    },
    # The PDF and chart libraries log every step of each leaflet and chart at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "matplotlib")},
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "MUTUA_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], upper=True
        ),
    },
}

# Places typed as words (README, "Places").
# How far past the edge of the network's groups a typed place may be and still be taken
# without asking: beyond it, "Camden" or "Street" is offered as a choice, never chosen.
MUTUA_PLACE_REACH_KM = env_int("MUTUA_PLACE_REACH_KM", 10, minimum=0)
# An online geocoder, asked only when the offline sources find nothing. Off by default:
# the words people type (often their street) leave the server for this URL.
MUTUA_GEOCODER_URL = env_str("MUTUA_GEOCODER_URL", "").rstrip("/")
MUTUA_GEOCODER_KIND = env_choice("MUTUA_GEOCODER_KIND", "nominatim", ["nominatim", "photon"])
MUTUA_GEOCODER_TIMEOUT = env_int("MUTUA_GEOCODER_TIMEOUT", 5, minimum=1)
