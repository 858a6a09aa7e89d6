"""Reads of federation: links and the asks that crossed them."""

from __future__ import annotations

from django.db.models import QuerySet

from mutua.core.errors import NotFound
from mutua.federation.models import FederationEvent, HandOn, Link, Outgoing


def links() -> QuerySet[Link]:
    return Link.objects.select_related("group").order_by("name", "pk")


def get_link(link_id: int) -> Link:
    link = Link.objects.filter(pk=link_id).first()
    if link is None:
        raise NotFound(str(link_id))
    return link


def link_by_url_or_id(value: str) -> Link:
    """A link named by its id or by the other server's address, or NotFound."""
    query = (
        Link.objects.filter(pk=int(value))
        if value.isdigit()
        else Link.objects.filter(url=value.strip().rstrip("/"))
    )
    link = query.first()
    if link is None:
        raise NotFound(value)
    return link


def hand_ons_of_ask(ask_id: int) -> QuerySet[HandOn]:
    return HandOn.objects.filter(ask_id=ask_id).select_related("link").order_by("created_at")


def pending_messages(link: Link) -> QuerySet[Outgoing]:
    return Outgoing.objects.filter(link=link, status__in=("pending", "sending"))


def recent_events(link: Link | None = None, *, limit: int = 20) -> list[FederationEvent]:
    events = FederationEvent.objects.all()
    if link is not None:
        events = events.filter(link=link)
    return list(events[:limit])
