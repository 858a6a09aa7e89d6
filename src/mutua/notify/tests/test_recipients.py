"""Who is told, and when: quiet hours hold a member's messages until they end."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from mutua.notify import services
from mutua.notify.models import NearbyAsks
from mutua.notify.services import recipients

pytestmark = pytest.mark.django_db


def test_quiet_hours_over_midnight(asker):
    pref = services.update_preferences(
        user=asker,
        by_email=True,
        by_sms=False,
        apprise_url="",
        language="",
        quiet_from=time(22, 0),
        quiet_to=time(7, 0),
        nearby_asks=NearbyAsks.DIGEST,
    )
    late = timezone.now().replace(hour=23, minute=30)
    early = timezone.now().replace(hour=6, minute=0)
    noon = timezone.now().replace(hour=12, minute=0)

    assert recipients.after_quiet_hours(pref, late) == (late + timedelta(days=1)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    assert recipients.after_quiet_hours(pref, early) == early.replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    assert recipients.after_quiet_hours(pref, noon) is None
