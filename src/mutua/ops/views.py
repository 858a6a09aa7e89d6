from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mutua import __version__
from mutua.ops import metrics, selectors


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitors and load balancers: 200 when the database answers, the worker has been
    seen running tasks recently and the disk has room; otherwise 503 and which it is."""
    body: dict[str, object] = {
        "status": "ok",
        "database": _database(),
        "database_engine": connection.vendor,
        "version": __version__,
    }
    problems = body["database"] != "ok"
    if not problems:
        worker = _worker(body)
        problems = worker not in {"ok", "not used", "not seen yet"}
    free_mb = selectors.free_disk_bytes() // 2**20
    body["disk_free_mb"] = free_mb
    body["disk"] = "ok" if free_mb >= settings.MUTUA_MIN_FREE_DISK_MB else "low"
    problems = problems or body["disk"] != "ok"
    if problems:
        body["status"] = "degraded"
    return JsonResponse(body, status=503 if problems else 200)


def _worker(body: dict[str, object]) -> str:
    """Fills in the worker's part of the health report and returns its state."""
    if not selectors.uses_worker():
        # Tasks run at once, in the process that queues them: there is no worker to miss.
        body["worker"] = "not used"
        return "not used"
    try:
        seen = selectors.last_heartbeat()
        body["queue_depth"] = selectors.queue_depth()
        waiting_since = selectors.oldest_waiting_since()
    except DatabaseError:
        body["worker"] = "unknown"
        return "unknown"
    now = timezone.now()
    limit = settings.MUTUA_WORKER_SILENT_SECONDS
    if seen is None:
        # A new server: silent only once queued work has waited longer than the limit.
        overdue = waiting_since is not None and (now - waiting_since).total_seconds() > limit
        state = "silent" if overdue else "not seen yet"
    else:
        silent_for = max(0, int((now - seen).total_seconds()))
        body["worker_last_seen"] = seen.isoformat(timespec="seconds")
        body["worker_silent_seconds"] = silent_for
        state = "silent" if silent_for > limit else "ok"
    body["worker"] = state
    return state


@require_GET
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    """Liveness: this process answers, and nothing else is looked at (no database). Also the
    bare view the board benchmark compares the board with."""
    return JsonResponse({"status": "ok"})


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for a token holder (MUTUA_METRICS_TOKEN) or this machine only."""
    if not metrics.may_scrape(request):
        detail = _("Metrics are for this machine, or for a holder of the metrics token.")
        return JsonResponse({"detail": detail}, status=403)
    payload, content_type = metrics.render()
    return HttpResponse(payload, content_type=content_type)
