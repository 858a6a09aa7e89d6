from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """An account. People log in with their email address; there is no username."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        if profile is not None and profile.display_name:
            return str(profile.display_name)
        return self.email.split("@")[0]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Profile(models.Model):
    """What a member tells the group about themselves: all optional, nothing proves need."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    # Language codes (e.g. "en", "bn") and category slugs; short lists, read whole.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.JSONField(_("can help with"), default=list, blank=True)
    travel_radius_km = models.PositiveSmallIntegerField(_("travel radius (km)"), default=3)
    # Dispatch never has more than this many asks (claims plus pending suggestions) with
    # the member at once.
    max_asks_at_once = models.PositiveSmallIntegerField(_("asks at once"), default=2)
    # Only a coarse cell is kept for home, never an exact address.
    home_cell = models.CharField(_("home area"), max_length=20, blank=True, db_index=True)
    home_lat = models.FloatField(null=True, blank=True)
    home_lon = models.FloatField(null=True, blank=True)
    available_days = models.JSONField(_("days available"), default=list, blank=True)
    available_from = models.TimeField(_("available from"), null=True, blank=True)
    available_to = models.TimeField(_("available until"), null=True, blank=True)
    paused = models.BooleanField(_("taking a break"), default=False)
    # The language the member chose for the pages (and messages to them); empty until
    # they choose, when their browser's language is used instead.
    language = models.CharField(_("language of the pages"), max_length=12, blank=True)

    def __str__(self) -> str:
        return self.display_name or str(self.user_id)


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=80, blank=True)
    scope = models.CharField(
        _("scope"), max_length=5, choices=TokenScope.choices, default=TokenScope.WRITE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Revoked tokens are kept, not deleted, so the owner can still see what was cut off.
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk} for {self.user_id}"
