"""What federation forgets when privacy purges an ask (registered in FederationConfig)."""

from __future__ import annotations

from mutua.aid.models import Ask
from mutua.federation.models import HandOn, Outgoing
from mutua.federation.services.outbox import without_details


def forget_ask(ask: Ask) -> None:
    """Drop the sealed details of any hand-on of `ask` still waiting to be sent: the
    person's details are being erased here, and must not leave afterwards either."""
    crossings = [
        str(crossing)
        for crossing in HandOn.objects.filter(ask=ask, outgoing=True).values_list(
            "crossing_id", flat=True
        )
    ]
    if not crossings:
        return
    for message in Outgoing.objects.filter(kind="hand-on", payload__crossing__in=crossings):
        message.payload = without_details(message.payload)
        message.save(update_fields=["payload"])
