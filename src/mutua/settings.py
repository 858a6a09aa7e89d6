"""Settings for mutua. Every value comes from the environment (see README, "Configuration")."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import phonenumbers
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from mutua.env import env_bool, env_int, env_list, env_str, env_time_zone

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("MUTUA_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Request metrics of every web process, added up at /metrics (mutua.ops.metrics). Set
# before anything imports prometheus_client, which reads it once.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(DATA_DIR / "metrics"))
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)


def _kept_secret(variable: str, filename: str) -> str:
    explicit = env_str(variable, "")
    if explicit:
        return explicit
    # Generated once and kept, so that what it signs or finds survives restarts.
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _kept_secret("MUTUA_SECRET_KEY", "secret_key")
# Keys the hashes that find a record by a phone number without storing the number
# (mutua.core.hashing). Apart from the encryption key, so that one leaked key does not
# give away both what is stored and how to test a guess against it.
MUTUA_LOOKUP_KEY = _kept_secret("MUTUA_LOOKUP_KEY", "lookup_key")


def _encryption_keys() -> list[str]:
    """Fernet keys for contact details at rest, newest first (README, "Privacy")."""
    explicit = env_list("MUTUA_ENCRYPTION_KEY", [])
    if explicit:
        for key in explicit:
            try:
                Fernet(key.encode())
            except ValueError:
                # The key itself is never shown: this line ends up in logs.
                raise ImproperlyConfigured(
                    "MUTUA_ENCRYPTION_KEY must be comma-separated Fernet keys "
                    "(32 url-safe base64 bytes; README, Privacy)"
                ) from None
        return explicit
    # Generated once and kept beside the database: without it the details cannot be read.
    path = DATA_DIR / "encryption_key"
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return [key.strip() for key in path.read_text().split(",") if key.strip()]


MUTUA_ENCRYPTION_KEYS = _encryption_keys()
DEBUG = env_bool("MUTUA_DEBUG", False)
ALLOWED_HOSTS = env_list("MUTUA_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("MUTUA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Only for its templates and static files: the API docs are served from this site, not
    # from a CDN that the site's own CSP would block.
    "ninja",
    # Before allauth, so mutua's account templates (site layout) win.
    "mutua.core",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "mutua.people",
    "mutua.groups",
    "mutua.aid",
    "mutua.matching",
    "mutua.checkins",
    "mutua.incidents",
    "mutua.privacy",
    "mutua.relay",
    "mutua.governance",
    "mutua.resources",
    "mutua.exchange",
    "mutua.notify",
    "mutua.outreach",
    "mutua.federation",
    "mutua.me",
    "mutua.demo",
    "mutua.ops",
]

MIDDLEWARE = [
    # Outermost, so that the time it records is the whole time a request took.
    "mutua.ops.metrics.RequestMetricsMiddleware",
    # First, so that it compresses what every other layer (static files included) sends:
    # the pages must stay light on slow connections.
    "mutua.core.middleware.PageGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a member's saved language comes first (see the middleware).
    "mutua.core.language.LanguageMiddleware",
    # After the language is chosen, so that the API's errors are in it too.
    "mutua.core.api_errors.ApiJsonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns an unreachable or full database into a clear 503 instead of a server error.
    "mutua.ops.middleware.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so that it sees a view's exception before any other middleware does.
    "mutua.core.middleware.NotFoundMiddleware",
]

ROOT_URLCONF = "mutua.urls"
WSGI_APPLICATION = "mutua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mutua.core.context_processors.site",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'mutua.sqlite3'}")
try:
    _database = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {exc}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so two writers queue instead of failing with "database is locked".
    # Connections are kept (CONN_MAX_AGE, as for PostgreSQL): a new SQLite connection parses
    # the whole schema again at its first query, which was a quarter of the web processes'
    # CPU time under load, more than the view's own work. A kept connection holds no
    # transaction between requests, so it blocks neither writers nor WAL checkpoints.
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Argon2 for new passwords; the others still check hashes made before it was first.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Where mail goes while no SMTP server is named (mutua.settings_accounts has the rest).
EMAIL_FILE_PATH = DATA_DIR / "mail"

# The languages the pages are translated into (src/mutua/locale/; docs/languages.md says
# how to add one). Only these are offered in the language switcher and picked from a
# browser's Accept-Language, so a page never claims a language it is not written in.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pl", _("Polish")),
    ("ar", _("Arabic")),
]
# The default for people who chose no language and whose browser asks for none of the above.
LANGUAGE_CODE = env_str("MUTUA_LANGUAGE", "en")
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(
        f"MUTUA_LANGUAGE must be one of {', '.join(code for code, _n in LANGUAGES)}, "
        f"not {LANGUAGE_CODE!r}"
    )
# The languages an ask can be in and members can say they speak: more than the pages are
# translated into, because neighbours speak more languages than any site is written in.
MUTUA_SPOKEN_LANGUAGES = [
    *LANGUAGES,
    ("bn", _("Bengali")),
    ("ur", _("Urdu")),
    ("pa", _("Punjabi")),
    ("gu", _("Gujarati")),
    ("so", _("Somali")),
    ("tr", _("Turkish")),
    ("ro", _("Romanian")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("pt", _("Portuguese")),
    ("it", _("Italian")),
    ("de", _("German")),
    ("zh-hans", _("Chinese")),
]
TIME_ZONE = env_time_zone("MUTUA_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# A language chosen with the switcher is kept for a year, not only until the browser closes.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded files (ledger receipts): served only through member-checked views, never as
# static files.
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names and a year-long cache once `mutua collectstatic` ran; plain names and a
    # short cache until then (mutua.core.staticfiles; docs/DEPLOY.md).
    "staticfiles": {"BACKEND": "mutua.core.staticfiles.StaticStorage"},
}
# Serve static files straight from the apps too, so the server starts before (and
# without) a collectstatic step.
WHITENOISE_USE_FINDERS = True
# Source maps are read only by a developer's browser tools: compressing the API pages'
# (megabytes of them) was most of `mutua collectstatic`'s time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": env_str("MUTUA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Shared by every process (gunicorn's and the worker's): login throttles, sign-up limits,
# token rate limits and limits on anonymous asks count in it, so they hold however many
# processes serve. The database by default (`mutua migrate` makes its table); Redis when
# MUTUA_REDIS_URL names one.
_redis_url = env_str("MUTUA_REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mutua_cache"}
    )
}

# Django's sessions in the database, read without the ORM's compiling of the same query on
# every request (mutua.core.sessions).
SESSION_ENGINE = "mutua.core.sessions"
SESSION_COOKIE_SECURE = env_bool("MUTUA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a proxy that ends TLS (Caddy, nginx), Django sees plain HTTP; the proxy says what
# the browser used in X-Forwarded-Proto. Trusted only when the owner says a proxy is there:
# otherwise anyone could send the header and pass a plain request off as HTTPS.
MUTUA_BEHIND_PROXY = env_bool("MUTUA_BEHIND_PROXY", False)
if MUTUA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Served over HTTPS (secure cookies on): browsers are told to come back over HTTPS only,
# and behind a proxy a plain-HTTP request is sent to HTTPS (without a proxy Django cannot
# tell, and would redirect for ever). The health check stays reachable over plain HTTP
# for the proxy's own probes.
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if SESSION_COOKIE_SECURE else 0
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE and MUTUA_BEHIND_PROXY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"


# Product settings.
MUTUA_SITE_NAME = env_str("MUTUA_SITE_NAME", "mutua")
MUTUA_ASK_EXPIRY_DAYS = env_int("MUTUA_ASK_EXPIRY_DAYS", 14, minimum=1)
# Check-in calls a caller on the rota is given a week, at most (more only when there are
# more people to call than callers can take at this rate).
MUTUA_CHECKIN_CALLS_PER_CALLER = env_int("MUTUA_CHECKIN_CALLS_PER_CALLER", 5, minimum=1)
# Personal details of a closed ask are erased this many days after it closed, unless its
# group chose otherwise (README, "Privacy").
MUTUA_RETENTION_DAYS = env_int("MUTUA_RETENTION_DAYS", 30, minimum=1)
MUTUA_TILE_URL = env_str("MUTUA_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# Shown in the corner of every map: tile servers ask to be credited.
MUTUA_TILE_ATTRIBUTION = env_str("MUTUA_TILE_ATTRIBUTION", "© OpenStreetMap contributors")


def _tile_origin(url: str) -> str:
    """The origin map tiles load from, "{s}" subdomains as a wildcard, for the CSP."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else SELF


# Scripts only from this site, and nothing on the pages may be framed or post elsewhere.
# Inline styles are allowed because Leaflet and HTMX set them on the elements they draw.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [
            SELF,
            "data:",
            _tile_origin(MUTUA_TILE_URL),
        ],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Phone numbers written without a country code are read as numbers of this region (ISO
# 3166 code), and every number is kept in E.164.
MUTUA_PHONE_REGION = env_str("MUTUA_PHONE_REGION", "GB").strip().upper()
if MUTUA_PHONE_REGION not in phonenumbers.SUPPORTED_REGIONS:
    raise ImproperlyConfigured(
        f"MUTUA_PHONE_REGION must be a two-letter country code such as GB, not "
        f"{MUTUA_PHONE_REGION!r}"
    )
# Asks made without an account: at most this many from one network address an hour, and
# this many with one phone number or email address a day (0: no limit). Enough for
# anyone asking for themselves or a few neighbours; a hotline volunteer is signed in.
MUTUA_ANONYMOUS_ASKS_PER_ADDRESS = env_int("MUTUA_ANONYMOUS_ASKS_PER_ADDRESS", 10, minimum=0)
MUTUA_ANONYMOUS_ASKS_PER_CONTACT = env_int("MUTUA_ANONYMOUS_ASKS_PER_CONTACT", 5, minimum=0)
MUTUA_BOARD_RADIUS_KM = env_int("MUTUA_BOARD_RADIUS_KM", 10, minimum=1)
# The board's rendered list is shared for up to this many seconds between people asking
# for the same view (any change of an ask renews it at once); 0 renders every time.
MUTUA_BOARD_CACHE_SECONDS = env_int("MUTUA_BOARD_CACHE_SECONDS", 30, minimum=0)
# A new group's founder holds the roles that see nobody's details (welcomer) for this many
# days; then the group grants them.
MUTUA_BOOTSTRAP_DAYS = env_int("MUTUA_BOOTSTRAP_DAYS", 14, minimum=1)
# K: a group receives routed asks once this many members are trusted with asks (and the
# groups whose area it overlaps agreed).
MUTUA_ESTABLISH_TRUSTED = env_int("MUTUA_ESTABLISH_TRUSTED", 3, minimum=1)
# API requests a minute per token (0: no limit), counted in the shared cache.
MUTUA_API_RATE_LIMIT = env_int("MUTUA_API_RATE_LIMIT", 120, minimum=0)
# Webhooks and members' notification addresses may not point at this machine or a private
# network unless allowed (mutua.core.outbound): an outgoing request from the server is
# otherwise a way into the server's own network. MUTUA_WEBHOOK_ALLOW_PRIVATE is the name
# this had before it covered notifications too; it is still read.
MUTUA_OUTBOUND_ALLOW_PRIVATE = env_bool(
    "MUTUA_OUTBOUND_ALLOW_PRIVATE", env_bool("MUTUA_WEBHOOK_ALLOW_PRIVATE", False)
)
# A dispatch suggestion nobody answered goes back to the pool at the next run after this
# (the variable keeps its first name, PROPOSAL, for existing configurations).
MUTUA_PROPOSAL_TIMEOUT_MINUTES = env_int("MUTUA_PROPOSAL_TIMEOUT_MINUTES", 60, minimum=1)
# Backups (README, "Backups"): where `mutua backup` writes, and the worker's schedule.
MUTUA_BACKUP_DIR = Path(env_str("MUTUA_BACKUP_DIR", str(DATA_DIR / "backups")))
# Hours between the worker's backups; 0 turns them off.
MUTUA_BACKUP_EVERY_HOURS = env_int("MUTUA_BACKUP_EVERY_HOURS", 24, minimum=0)
# How many of the worker's backups are kept; older ones are deleted.
MUTUA_BACKUP_KEEP = env_int("MUTUA_BACKUP_KEEP", 7, minimum=1)

# Accounts and mail, and notifications and SMS, health and metrics, and logs:
# mutua.settings_accounts and mutua.settings_services, taken in whole, as Django's
# documentation splits a settings file.
from mutua.settings_accounts import *  # noqa: E402, F403
from mutua.settings_services import *  # noqa: E402, F403
