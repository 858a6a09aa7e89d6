"""Every write of federation: this server's keys, links agreed by decision, the signed
messages in and out, and asks handed on across a link."""

from mutua.federation.services import links
from mutua.federation.services.figures import send_figures
from mutua.federation.services.handon import hand_on_across, report_outcome
from mutua.federation.services.identity import document, public_url, server_keys
from mutua.federation.services.inbox import Receipt, receive
from mutua.federation.services.links import decided, propose_link
from mutua.federation.services.outbox import attempt, deliver_due, queue

__all__ = [
    "Receipt",
    "attempt",
    "decided",
    "deliver_due",
    "document",
    "hand_on_across",
    "links",
    "propose_link",
    "public_url",
    "queue",
    "receive",
    "report_outcome",
    "send_figures",
    "server_keys",
]
