"""How a card says when an ask is needed and how long it has waited."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from mutua.aid.models import Urgency

register = template.Library()

# After this long an ask shows how long it has been waiting rather than when it came:
# "Needed today" on a week-old ask must not read as if it came in today.
WAITING_AFTER = timedelta(days=1)


@register.filter
def need_label(urgency: int) -> str:
    """What the urgency means, as a sentence on the card ("Needed today"), not a date."""
    labels = {
        int(Urgency.URGENT): _("Needed today"),
        int(Urgency.NORMAL): _("Needed in the next few days"),
        int(Urgency.LOW): _("Whenever someone can"),
    }
    return labels.get(urgency, "")


@register.filter
def has_waited(created_at: datetime) -> bool:
    return timezone.now() - created_at >= WAITING_AFTER


@register.filter
def age(created_at: datetime) -> str:
    """How long ago, in its largest unit only ("6 days", "3 hours")."""
    return timesince(created_at, depth=1)
