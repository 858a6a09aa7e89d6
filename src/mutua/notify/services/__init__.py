"""Writes for notifications, a module per concern:

- `outbox`: queuing a message and delivering it, with retries and leases;
- `recipients`: a person's channels and quiet hours, one event told to one person;
- `fanout`: who an ask's change, a dispatch suggestion, the daily digest or a group's
  decision concerns;
- `preferences`: how a member wants to be told things, linking a phone;
- `sms_commands`: answering texts received (parsed by `notify.sms`);
- `hotline`: phone intake and texts that need a call back;
- `calls`: a missed call or voicemail answered with an offer to text;
- `relay`: relayed messages passed on to the other side, e-mail replies taken in;
- `retention`: deleting texts and messages past their keeping time;
- `jobs`: claiming the worker's periodic jobs.

The public functions are gathered here, so callers write `services.deliver(...)`.
"""

from __future__ import annotations

from mutua.notify.services.calls import missed_call
from mutua.notify.services.fanout import (
    notify_ask_event,
    notify_group_event,
    notify_new_suggestions,
    send_digests,
)
from mutua.notify.services.hotline import dismiss_draft, draft_from_text, record_phone_ask
from mutua.notify.services.jobs import claim_due_jobs
from mutua.notify.services.outbox import deliver, deliver_due, queue_message
from mutua.notify.services.preferences import (
    link_phone,
    start_phone_link,
    unlink_phone,
    update_preferences,
)
from mutua.notify.services.recipients import Recipient, fits, member_recipient, tell
from mutua.notify.services.relay import receive_mail, relay_message
from mutua.notify.services.retention import purge_old_messages
from mutua.notify.services.sms_commands import receive_sms

__all__ = [
    "Recipient",
    "claim_due_jobs",
    "deliver",
    "deliver_due",
    "dismiss_draft",
    "draft_from_text",
    "fits",
    "link_phone",
    "member_recipient",
    "missed_call",
    "notify_ask_event",
    "notify_group_event",
    "notify_new_suggestions",
    "purge_old_messages",
    "queue_message",
    "receive_mail",
    "receive_sms",
    "record_phone_ask",
    "relay_message",
    "send_digests",
    "start_phone_link",
    "tell",
    "unlink_phone",
    "update_preferences",
]
