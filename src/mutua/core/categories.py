"""The kinds of help: what an ask is for, what an offer gives, what a member can do.

They are shared words rather than aid's alone: a member's skills (people) are named with
them too, and people sits below aid.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    GROCERIES = "groceries", _("Groceries")
    PRESCRIPTIONS = "prescriptions", _("Prescriptions")
    MEALS = "meals", _("Meals")
    TRANSPORT = "transport", _("Transport")
    CHILDCARE = "childcare", _("Childcare")
    PETS = "pets", _("Pets")
    CHECK_IN = "check-in", _("Check-in call")
    REPAIRS = "repairs", _("Repairs")
    CLEAN_UP = "clean-up", _("Disaster clean-up")
    HOUSING = "housing", _("Housing")
    MONEY = "money", _("Money")
    OTHER = "other", _("Other")
