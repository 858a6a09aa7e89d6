"""Background work of federation: sending messages to linked servers, with retries."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from mutua.core.periodic import PeriodicJob
from mutua.federation import services


@task()
def deliver_message(message_pk: int) -> str:
    """Send one message (a no-op once it is delivered or being sent); its retry is queued
    by the service. Returns its status."""
    message = services.attempt(message_pk=message_pk)
    return "gone" if message is None else str(message.status)


def _deliver_due() -> None:
    services.deliver_due()


def _send_figures() -> None:
    services.send_figures()


# A worker that was down when a retry was due, or a task backend that cannot wait,
# still sends every message: this picks up whatever is pending and due.
PERIODIC = (
    PeriodicJob("federation-deliver", _deliver_due, lambda: timedelta(minutes=5)),
    # Each linked server's aggregate counts, a few times a day (services.figures).
    PeriodicJob("federation-figures", _send_figures, lambda: timedelta(hours=6)),
)
