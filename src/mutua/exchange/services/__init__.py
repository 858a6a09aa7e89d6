"""Writes for the exchange, a module per concern:

- `webhooks`: registering, rotating and removing a group's webhooks, and recording a
  delivery for each ask event they want;
- `deliveries`: posting them (public addresses only, no redirects, signed, retried);
- `imports`: a spreadsheet of asks, offers or members into a group, all rows or none;
- `exports`: asks, offers or members as rows, contact details only on request;
- `places`: a group's place names from a CSV or GeoJSON file, at once or by a proposal.

The public names are gathered here, so callers write `services.import_rows(...)`.
"""

from __future__ import annotations

from mutua.exchange.services.deliveries import (
    JITTER,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    attempt_delivery,
    retry_delay,
)
from mutua.exchange.services.exports import (
    EXPORT_COLUMNS,
    ExportTable,
    export_table,
)
from mutua.exchange.services.imports import (
    MAX_PROBLEMS,
    ImportFailed,
    ImportProblem,
    ImportReport,
    import_rows,
)
from mutua.exchange.services.places import (
    PlacesRefused,
    add_place_names,
    checked_names,
    may_add_at_once,
    propose_place_names,
)
from mutua.exchange.services.webhooks import (
    MAX_WEBHOOKS_PER_GROUP,
    ROTATION_OVERLAP,
    queue_ask_event,
    register_webhook,
    remove_webhook,
    rotate_webhook_secret,
)

__all__ = [
    "EXPORT_COLUMNS",
    "JITTER",
    "MAX_ATTEMPTS",
    "MAX_PROBLEMS",
    "MAX_WEBHOOKS_PER_GROUP",
    "RETRY_DELAYS",
    "ROTATION_OVERLAP",
    "ExportTable",
    "ImportFailed",
    "ImportProblem",
    "ImportReport",
    "PlacesRefused",
    "add_place_names",
    "attempt_delivery",
    "checked_names",
    "export_table",
    "import_rows",
    "may_add_at_once",
    "propose_place_names",
    "queue_ask_event",
    "register_webhook",
    "remove_webhook",
    "retry_delay",
    "rotate_webhook_secret",
]
