"""Settings of accounts and mail: sign-up and login (django-allauth), and how e-mail is
sent. Part of mutua.settings, which imports all of it; every variable is in the README's
configuration table."""

from __future__ import annotations

from mutua.env import env_bool, env_choice, env_int, env_str

LOGIN_REDIRECT_URL = "/board/"
LOGIN_URL = "/accounts/login/"

# Sign-up is open to anyone with an email address; nothing else is asked.
# Sign-up creates the member's profile with the account.
ACCOUNT_ADAPTER = "mutua.people.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "MUTUA_EMAIL_VERIFICATION", "optional", ["none", "optional", "mandatory"]
)
# Password reset and sign-up answer the same whether or not an account has the address,
# so that nobody can learn who uses the site by trying addresses. allauth does so at
# sign-up only when verification is mandatory; mutua's form does it with any setting
# (mutua.people.forms): every sign-up, new address or taken, ends on "we have sent you
# an e-mail" without signing anyone in.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "mutua.people.forms.SignupForm"}
ACCOUNT_LOGOUT_ON_GET = False
# Login rate limiting is allauth's own (counted in Django's cache), named here so it is seen:
# failed logins per address and per account, and sign-ups per address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
}
# Mail (sign-up and notifications) goes out over SMTP once a server is named; until then
# each message is written to a file under var/mail/ (mode 0700), which is enough to try
# mutua out. Not the console: mail holds addresses and private links, and the console is
# the server's log.
EMAIL_HOST = env_str("MUTUA_EMAIL_HOST", "") or "localhost"
EMAIL_PORT = env_int("MUTUA_EMAIL_PORT", 587 if env_bool("MUTUA_EMAIL_STARTTLS", False) else 25)
EMAIL_HOST_USER = env_str("MUTUA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("MUTUA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MUTUA_EMAIL_STARTTLS", False)
# A stalled mail server must give up well within the notification lease (see below).
EMAIL_TIMEOUT = env_int("MUTUA_EMAIL_TIMEOUT", 30, minimum=1)
EMAIL_BACKEND = env_str(
    "MUTUA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("MUTUA_EMAIL_HOST", "")
    else "django.core.mail.backends.filebased.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("MUTUA_FROM_EMAIL", "mutua@localhost")
