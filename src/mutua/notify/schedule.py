"""The periodic jobs the worker runs (`mutua worker`, or the one inside `mutua serve`).

Each is a plain function, by dotted path, that is safe to run twice or late. To add one,
add a line here. A job's next time is kept in the database (ScheduledJob), so a restarted
worker neither skips a due job nor runs it early, and of several workers one runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings


def _sweep() -> timedelta:
    return timedelta(seconds=settings.MUTUA_NOTIFY_SWEEP_SECONDS)


@dataclass(frozen=True)
class Job:
    name: str
    target: str
    every: Callable[[], timedelta]


JOBS: tuple[Job, ...] = (
    # Retries, and messages whose worker died mid-send.
    Job("notify-outbox", "mutua.notify.services.deliver_due", _sweep),
    Job("notify-proposals", "mutua.notify.services.notify_new_proposals", _sweep),
    Job("notify-digests", "mutua.notify.services.send_digests", lambda: timedelta(minutes=10)),
    Job("notify-purge", "mutua.notify.services.purge_old_messages", lambda: timedelta(hours=1)),
    Job(
        "expire-proposals", "mutua.matching.services.expire_proposals", lambda: timedelta(minutes=5)
    ),
    Job("expire-asks", "mutua.aid.services.expire_asks", lambda: timedelta(hours=1)),
    Job("privacy-purge", "mutua.privacy.services.purge_personal_data", lambda: timedelta(hours=6)),
    # A backstop: the deadline pass is also queued for the moment each deadline is due.
    Job("governance-deadlines", "mutua.governance.services.run_due", lambda: timedelta(minutes=15)),
)
