"""Roles' names and duties, how a group decides, and the settings its members change
by proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutua.core.categories import Category

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", gettext_lazy("Dispatcher")
    HOTLINE = "hotline", gettext_lazy("Hotline")
    SAFEGUARDING = "safeguarding", gettext_lazy("Safeguarding")
    TREASURER = "treasurer", gettext_lazy("Treasurer")
    STOCK_KEEPER = "stock-keeper", gettext_lazy("Stock keeper")
    WELCOMER = "welcomer", gettext_lazy("Welcomer")
    CALLER = "caller", gettext_lazy("Callout caller")
    HELPER = "helper", gettext_lazy("Trusted helper")


# Roles that see askers' contacts or the texts waiting for the hotline. Founding a group
# never grants them, and while nobody holds one nobody acts as it: only the group grants
# them, by a decision or by trust.
SENSITIVE_ROLES = frozenset({Role.DISPATCHER, Role.HOTLINE, Role.SAFEGUARDING, Role.HELPER})


ROLE_DUTIES: dict[str, StrOrPromise] = {
    Role.DISPATCHER: gettext_lazy("Runs dispatch in a surge and looks after asks that are stuck."),
    Role.HOTLINE: gettext_lazy("Takes calls and enters asks for the people who call."),
    Role.SAFEGUARDING: gettext_lazy("The person to go to when someone may be at risk."),
    Role.TREASURER: gettext_lazy("Keeps the group's open ledger of money."),
    Role.STOCK_KEEPER: gettext_lazy("Keeps track of what is stored at the group's hubs."),
    Role.WELCOMER: gettext_lazy("Welcomes new members and shows them around."),
    Role.CALLER: gettext_lazy(
        "Sends urgent callouts that gather members nearby within the hour, such as an "
        "eviction defence."
    ),
    Role.HELPER: gettext_lazy(
        "Takes asks the group keeps for trusted helpers, and vouches for other members."
    ),
}


class DecisionRule(models.TextChoices):
    CONSENSUS = "consensus", gettext_lazy("Consensus")
    CONSENSUS_THEN_MAJORITY = (
        "consensus-majority",
        gettext_lazy("Consensus, then a qualified majority in a second round"),
    )


class TakeRule(models.TextChoices):
    """Who may take the group's asks (and so see the asker's contact), from the most open;
    a group changes it only by a decision."""

    MEMBERS = "members", gettext_lazy("members with a verified e-mail or a linked phone")
    TRUSTED = "trusted", gettext_lazy("members trusted by other members")
    ROLE = "role", gettext_lazy("trusted helpers the group named")


TAKE_RULE_ORDER = (TakeRule.MEMBERS, TakeRule.TRUSTED, TakeRule.ROLE)


class YesNo(models.TextChoices):
    NO = "no", gettext_lazy("no")
    YES = "yes", gettext_lazy("yes")


class PageLanguage(models.TextChoices):
    """The languages the pages are translated into (settings.LANGUAGES; a test keeps the
    two lists equal), which a group may choose as its members' default."""

    ENGLISH = "en", gettext_lazy("English")
    SPANISH = "es", gettext_lazy("Spanish")
    FRENCH = "fr", gettext_lazy("French")
    POLISH = "pl", gettext_lazy("Polish")
    ARABIC = "ar", gettext_lazy("Arabic")


# The column of GroupSettings holding each role's trust threshold.
TRUST_FIELDS: dict[str, str] = {
    Role.DISPATCHER: "trust_dispatcher",
    Role.HOTLINE: "trust_hotline",
    Role.SAFEGUARDING: "trust_safeguarding",
    Role.TREASURER: "trust_treasurer",
    Role.STOCK_KEEPER: "trust_stock_keeper",
    Role.WELCOMER: "trust_welcomer",
    Role.CALLER: "trust_caller",
    Role.HELPER: "trust_helper",
}


class GroupSettings(models.Model):
    """How a group decides, and the settings its members change by proposal.

    A group without a row uses the defaults below; the row is written by the first change.
    """

    group = models.OneToOneField(
        "groups.Group",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="governance_settings",
    )
    decision_rule = models.CharField(
        max_length=20, choices=DecisionRule.choices, default=DecisionRule.CONSENSUS
    )
    min_agrees = models.PositiveSmallIntegerField(default=3)
    majority_percent = models.PositiveSmallIntegerField(default=67)
    second_round_days = models.PositiveSmallIntegerField(default=7)
    role_term_days = models.PositiveSmallIntegerField(default=90)
    # Pending trust from this many members grants the role; 0 means only a decision can.
    # Money and safeguarding are off by default: those roles are for the whole group to decide.
    trust_dispatcher = models.PositiveSmallIntegerField(default=5)
    trust_hotline = models.PositiveSmallIntegerField(default=5)
    trust_safeguarding = models.PositiveSmallIntegerField(default=0)
    trust_treasurer = models.PositiveSmallIntegerField(default=0)
    trust_stock_keeper = models.PositiveSmallIntegerField(default=5)
    trust_welcomer = models.PositiveSmallIntegerField(default=3)
    # A callout reaches many members' phones at once: only a decision names callers.
    trust_caller = models.PositiveSmallIntegerField(default=0)
    # 0: trust as a helper only counts towards taking asks (trust_to_take) and never
    # becomes a term of the role; a decision names helpers.
    trust_helper = models.PositiveSmallIntegerField(default=0)
    # Who may take asks; some categories may ask for more (never less) than that.
    who_may_take = models.CharField(max_length=10, choices=TakeRule.choices, default="trusted")
    trusted_categories = models.CharField(max_length=200, blank=True)
    role_categories = models.CharField(max_length=200, blank=True)
    # N: helper trust from this many members makes a member "trusted".
    trust_to_take = models.PositiveSmallIntegerField(default=2)
    # M: open claims one helper may hold at once in the group.
    max_open_claims = models.PositiveSmallIntegerField(default=3)
    # R: releases after seeing an asker's details in 30 days before claiming is suspended.
    max_releases = models.PositiveSmallIntegerField(default=3)
    # Whether the parent group's dispatchers may dispatch this group's asks.
    parent_dispatch = models.CharField(max_length=3, choices=YesNo.choices, default="no")
    # Empty means the site's default (the MUTUA_* configuration).
    retention_days = models.PositiveSmallIntegerField(null=True, blank=True)
    dispatch_radius_km = models.PositiveSmallIntegerField(null=True, blank=True)
    sms_number = models.CharField(max_length=20, blank=True)
    # The pages' language for members who chose none and whose browser asks for none the
    # pages are written in; empty means the site's default (MUTUA_LANGUAGE).
    language = models.CharField(max_length=12, choices=PageLanguage.choices, blank=True)
    # Money (in the ledger's minor units) the treasurer may pay one member's money asks
    # in 30 days without a decision; 0: every money ask goes to a decision.
    money_ask_limit = models.PositiveIntegerField(default=0)
    # Hours an open ask may wait untaken before the worker passes it on to the parent
    # group (or the nearest neighbour); 0, the default, never passes anything on.
    hand_on_after_hours = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"settings of {self.group_id}"

    def trust_threshold(self, role: str) -> int:
        return int(getattr(self, TRUST_FIELDS[role]))

    def take_rule(self, category: str) -> TakeRule:
        """Who may take an ask of `category`: the group's rule, or the stricter one the
        group set for that category."""
        rule = TakeRule(self.who_may_take)
        if category in split_categories(self.role_categories):
            return TakeRule.ROLE
        if category in split_categories(self.trusted_categories) and rule == TakeRule.MEMBERS:
            return TakeRule.TRUSTED
        return rule

    @property
    def has_second_round(self) -> bool:
        return self.decision_rule == DecisionRule.CONSENSUS_THEN_MAJORITY


@dataclass(frozen=True)
class SettingSpec:
    """A setting a proposal may change: its label and the values it accepts."""

    label: StrOrPromise
    minimum: int = 0
    maximum: int = 0
    # Empty is allowed and means "the site's default".
    optional: bool = False
    # Text settings: a choice among these values, or a phone number.
    choices: type[models.TextChoices] | None = None
    phone: bool = False
    # A comma-separated list of categories of help (see CATEGORY_CHOICES).
    categories: bool = False


# The categories of help, as (slug, name), that a group may make stricter.
CATEGORY_CHOICES: list[tuple[str, StrOrPromise]] = list(Category.choices)


def split_categories(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


SETTINGS: dict[str, SettingSpec] = {
    "decision_rule": SettingSpec(gettext_lazy("How decisions are made"), choices=DecisionRule),
    "min_agrees": SettingSpec(gettext_lazy("Agrees needed to pass"), 1, 1000),
    "majority_percent": SettingSpec(gettext_lazy("Majority needed in a second round (%)"), 51, 100),
    "second_round_days": SettingSpec(gettext_lazy("Length of a second round (days)"), 1, 60),
    "role_term_days": SettingSpec(gettext_lazy("Length of a role's term (days)"), 1, 365),
    "trust_dispatcher": SettingSpec(gettext_lazy("Trust that makes a dispatcher"), 0, 1000),
    "trust_hotline": SettingSpec(gettext_lazy("Trust that makes a hotline volunteer"), 0, 1000),
    "trust_safeguarding": SettingSpec(gettext_lazy("Trust for the safeguarding role"), 0, 1000),
    "trust_treasurer": SettingSpec(gettext_lazy("Trust that makes a treasurer"), 0, 1000),
    "trust_stock_keeper": SettingSpec(gettext_lazy("Trust that makes a stock keeper"), 0, 1000),
    "trust_welcomer": SettingSpec(gettext_lazy("Trust that makes a welcomer"), 0, 1000),
    "trust_caller": SettingSpec(gettext_lazy("Trust that makes a callout caller"), 0, 1000),
    "money_ask_limit": SettingSpec(
        gettext_lazy(
            "Money the treasurer may pay one member in 30 days without a decision "
            "(in cents, pence or the currency's smallest unit)"
        ),
        0,
        100_000_000,
    ),
    "trust_helper": SettingSpec(gettext_lazy("Trust that names a trusted helper"), 0, 1000),
    "who_may_take": SettingSpec(gettext_lazy("Who may take asks"), choices=TakeRule),
    "trust_to_take": SettingSpec(
        gettext_lazy("Members whose trust lets someone take asks"), 1, 100
    ),
    "trusted_categories": SettingSpec(
        gettext_lazy("Kinds of help only trusted members take"), optional=True, categories=True
    ),
    "role_categories": SettingSpec(
        gettext_lazy("Kinds of help only named trusted helpers take"),
        optional=True,
        categories=True,
    ),
    "max_open_claims": SettingSpec(gettext_lazy("Asks one helper may hold at once"), 1, 50),
    "max_releases": SettingSpec(
        gettext_lazy("Releases after seeing details, in 30 days, before claiming stops"), 0, 100
    ),
    "parent_dispatch": SettingSpec(
        gettext_lazy("The parent group's dispatchers may dispatch our asks"), choices=YesNo
    ),
    "retention_days": SettingSpec(
        gettext_lazy("Days personal details are kept after an ask closes"), 1, 3650, optional=True
    ),
    "dispatch_radius_km": SettingSpec(gettext_lazy("Dispatch radius (km)"), 1, 500, optional=True),
    "hand_on_after_hours": SettingSpec(
        gettext_lazy("Hours an open ask waits before it is passed on to another group (0: never)"),
        0,
        24 * 30,
    ),
    "sms_number": SettingSpec(gettext_lazy("The group's SMS number"), optional=True, phone=True),
    "language": SettingSpec(
        gettext_lazy("Default language of the pages"), optional=True, choices=PageLanguage
    ),
}


def setting_display(key: str, value: str) -> str:
    """A setting's value as people read it ("off", "the site default", a rule's name)."""
    spec = SETTINGS[key]
    if value == "":
        return _("none") if spec.categories else _("the site default")
    if spec.categories:
        names = dict(CATEGORY_CHOICES)
        return ", ".join(str(names.get(c, c)) for c in split_categories(value))
    if spec.choices is not None:
        return str(dict(spec.choices.choices).get(value, value))
    if key.startswith("trust_") and value == "0":
        return _("off: only a decision grants it")
    if key == "hand_on_after_hours" and value == "0":
        return _("never")
    return value
