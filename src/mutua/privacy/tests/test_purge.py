"""Retention: personal fields of closed asks are erased after the retention period;
counts per category, area and week survive."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, AskEvent, AskStatus, Claim
from mutua.aid.policy import Actor
from mutua.aid.selectors import asker_key
from mutua.core.tests.factories import make_ask
from mutua.governance.models import GroupSettings
from mutua.privacy.models import AccessLog
from mutua.privacy.services import purge_personal_data
from mutua.privacy.tasks import purge_personal_data_task
from mutua.privacy.tests.conftest import SECRETS

# Every column of aid_ask is either erased or kept on purpose; a new column fails this
# test until someone decides which it is.
ERASED = {
    "what",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "lat",
    "lon",
    "asker",
    "recorded_by",
    "phone_lookup",
    "email_lookup",
    "personal_data_erased_at",
}
KEPT = {
    "id",
    "approve_helper",
    "category",
    "urgency",
    "language",
    "status",
    "group",
    "cell",
    "public_lat",
    "public_lon",
    "area_name",
    "consent_at",
    "consent_text",
    "consent_channel",
    "created_at",
    "updated_at",
    "expires_at",
    # Which offer it answered, and until when it was offered first: once the asker is
    # erased, only that someone answered the offer, which the offers' counts keep.
    "offer",
    "offered_until",
}


def _age(ask: Ask, days: int) -> None:
    Ask.objects.filter(pk=ask.pk).update(updated_at=timezone.now() - timedelta(days=days))


def _counts() -> list[dict[str, object]]:
    return list(
        Ask.objects.annotate(week=TruncWeek("created_at"))
        .values("category", "cell", "week", "status")
        .annotate(n=Count("pk"))
        .order_by("category", "cell", "week", "status")
    )


def test_every_column_of_an_ask_is_either_erased_or_kept():
    assert {f.name for f in Ask._meta.concrete_fields} == ERASED | KEPT


def test_after_retention_nothing_personal_remains_and_counts_do(planted, helper, asker, client):
    client.force_login(asker)
    client.get(f"/asks/{planted.pk}/")
    aid_services.complete_ask(ask=planted, actor=Actor(user=helper))
    cancelled = make_ask(contact_phone="+442079460992", asker=asker, recorded_by=helper)
    aid_services.cancel_ask(ask=cancelled, actor=Actor(user=asker))
    expired = make_ask(contact_email="expired-secret@example.net")
    aid_services.expire_asks(now=expired.expires_at + timedelta(minutes=1))
    for ask in (planted, cancelled, expired):
        _age(ask, 31)
    counts = _counts()

    report = purge_personal_data()

    assert report.by_status == {"done": 1, "cancelled": 1, "expired": 1}
    for ask in Ask.objects.all():
        assert ask.what == ""
        assert (ask.address, ask.contact_name, ask.contact_phone, ask.contact_email) == ("",) * 4
        assert (ask.lat, ask.lon) == (ask.public_lat, ask.public_lon)
        assert ask.asker_id is None and ask.recorded_by_id is None
        assert ask.personal_data_erased_at is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM aid_ask")
        raw = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert [s for s in [*SECRETS, "0992", "expired-secret", "Shopping"] if s in raw] == []
    assert not AskEvent.objects.filter(actor__isnull=False).exists()
    assert not AccessLog.objects.exists()
    assert _counts() == counts
    # The helper's own record of what they did stays.
    assert Claim.objects.filter(helper=helper, outcome="done").exists()


def test_asks_still_running_or_closed_recently_are_kept(planted, helper):
    recent = make_ask(contact_name="Recent Person")
    aid_services.cancel_ask(ask=recent, actor=Actor(key=asker_key(recent)))
    _age(recent, 29)
    _age(planted, 60)  # claimed, not closed

    assert purge_personal_data().asks == 0

    assert Ask.objects.get(pk=recent.pk).contact_name == "Recent Person"
    assert Ask.objects.get(pk=planted.pk).contact_name != ""


def test_a_group_s_own_retention_period_wins(planted, helper, ward):
    aid_services.complete_ask(ask=planted, actor=Actor(user=helper))
    _age(planted, 6)
    assert purge_personal_data().asks == 0

    GroupSettings.objects.create(group=ward, retention_days=5)

    assert purge_personal_data().asks == 1
    assert Ask.objects.get(pk=planted.pk).contact_phone == ""


def test_dry_run_says_what_would_go_and_erases_nothing(planted, helper):
    aid_services.complete_ask(ask=planted, actor=Actor(user=helper))
    _age(planted, 31)
    out = io.StringIO()

    call_command("purge", "--dry-run", stdout=out)

    assert "Would erase the personal details of 1 asks." in out.getvalue()
    assert Ask.objects.get(pk=planted.pk).personal_data_erased_at is None
    call_command("purge", stdout=out)
    assert "Erased the personal details of 1 asks." in out.getvalue()
    assert Ask.objects.get(pk=planted.pk).status == AskStatus.DONE
    assert Ask.objects.get(pk=planted.pk).contact_name == ""
    assert purge_personal_data().asks == 0  # running again erases nothing more


def test_the_background_task_purges(planted, helper):
    aid_services.complete_ask(ask=planted, actor=Actor(user=helper))
    _age(planted, 31)

    result = purge_personal_data_task.enqueue()

    assert result.return_value == 1
    assert Ask.objects.get(pk=planted.pk).address == ""
