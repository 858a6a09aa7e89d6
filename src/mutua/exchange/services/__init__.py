"""Writes for the exchange, a module per concern:

- `webhooks`: registering a group's webhooks, recording a delivery for each ask event they
  want, and posting it (the transport: public addresses only, no redirects, signed);
- `imports`: a spreadsheet of asks, offers or members into a group, all rows or none;
- `exports`: asks, offers or members as rows, contact details only on request.

The public names are gathered here, so callers write `services.import_rows(...)`.
"""

from __future__ import annotations

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
from mutua.exchange.services.webhooks import (
    MAX_ATTEMPTS,
    MAX_WEBHOOKS_PER_GROUP,
    RETRY_DELAYS,
    attempt_delivery,
    queue_ask_event,
    register_webhook,
    remove_webhook,
)

__all__ = [
    "EXPORT_COLUMNS",
    "MAX_ATTEMPTS",
    "MAX_PROBLEMS",
    "MAX_WEBHOOKS_PER_GROUP",
    "RETRY_DELAYS",
    "ExportTable",
    "ImportFailed",
    "ImportProblem",
    "ImportReport",
    "attempt_delivery",
    "export_table",
    "import_rows",
    "queue_ask_event",
    "register_webhook",
    "remove_webhook",
]
