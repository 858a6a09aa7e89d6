"""What matching does when an ask changes (registered in MatchingConfig.ready): an ask
answering a member's offer is suggested first to that member, as dispatch suggests an
ask, so they see it among their suggestions and accept or decline it there; an ask
passed on to another group loses the suggestions the old group's dispatch made."""

from __future__ import annotations

from mutua.aid.events import AskChange
from mutua.aid.models import AskEvent
from mutua.matching import services


def on_ask_changed(change: AskChange) -> None:
    if change.kind == AskEvent.Kind.CREATED:
        services.suggest_to_offerer(ask_id=change.ask_id)
    elif change.kind == AskEvent.Kind.PASSED:
        services.supersede_moved(ask_id=change.ask_id)
