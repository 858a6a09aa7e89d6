"""Keeping times: texts received, texts the hotline dealt with and messages sent are
deleted once they are no longer needed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from mutua.notify.models import DraftStatus, InboundSms, IntakeDraft, Message, MessageStatus

# Texts received are kept only as long as a retried delivery can come (hours, at most),
# and a little more to look into a problem: they hold numbers and what people need.
KEEP_TEXTS = timedelta(days=7)
KEEP_MESSAGES = timedelta(days=30)


def purge_old_messages(*, now: datetime | None = None) -> int:
    """Delete texts received, texts dealt with by the hotline and messages no longer in
    the outbox, once past their keeping time; returns how many rows. Safe to run anytime."""
    now = now or timezone.now()
    deleted, _by_model = InboundSms.objects.filter(received_at__lt=now - KEEP_TEXTS).delete()
    drafts, _by_model = (
        IntakeDraft.objects.exclude(status=DraftStatus.OPEN)
        .filter(handled_at__lt=now - KEEP_TEXTS)
        .delete()
    )
    finished = (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.SKIPPED)
    sent, _by_model = Message.objects.filter(
        status__in=finished, created_at__lt=now - KEEP_MESSAGES
    ).delete()
    return deleted + drafts + sent
