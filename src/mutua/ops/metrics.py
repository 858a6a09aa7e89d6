"""Prometheus metrics at /metrics (README, "Health and metrics").

Request latency is measured in every web process; gunicorn runs several, so the values
live in files under PROMETHEUS_MULTIPROC_DIR (set in settings, wiped by `mutua serve` at
start) and a scrape adds them up. Everything else is read from the database at scrape
time, so it is the same whichever process answers, and counts what the worker did too.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from mutua.aid.models import Ask
from mutua.matching.models import DispatchRun
from mutua.notify.models import Message
from mutua.ops import selectors

REQUEST_SECONDS = Histogram(
    "mutua_http_request_duration_seconds",
    "Time to answer a request, by method, route pattern and status class.",
    ["method", "route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DISPATCH_BUCKETS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# Headers a reverse proxy adds: a request through one is not from this machine, even
# though the proxy connects over loopback.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


class RequestMetricsMiddleware:
    """Times every request. The route is the URL pattern (`asks/<int:pk>/`), never the
    path itself, so no ask number, link code or other value ends up in the metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "unmatched"
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(method, route, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - start
        )
        return response


class DatabaseCollector(Collector):
    """What the database says, read at each scrape."""

    def collect(self) -> Iterator[Metric]:
        asks = GaugeMetricFamily("mutua_asks", "Asks by state.", labels=["state"])
        for row in Ask.objects.order_by().values("status").annotate(n=Count("pk")):
            asks.add_metric([row["status"]], row["n"])
        yield asks

        messages = GaugeMetricFamily(
            "mutua_notifications",
            "Outbound messages kept in the outbox, by state (failed: given up on).",
            labels=["state"],
        )
        for row in Message.objects.order_by().values("status").annotate(n=Count("pk")):
            messages.add_metric([row["status"]], row["n"])
        yield messages

        yield self._dispatch()

        if selectors.uses_worker():
            yield GaugeMetricFamily(
                "mutua_task_queue_depth",
                "Background tasks waiting for a worker.",
                value=selectors.queue_depth(),
            )
            seen = selectors.last_heartbeat()
            if seen is not None:
                yield GaugeMetricFamily(
                    "mutua_worker_last_seen_timestamp_seconds",
                    "When a worker last ran its heartbeat task (Unix time).",
                    value=seen.timestamp(),
                )
        yield GaugeMetricFamily(
            "mutua_disk_free_bytes",
            "Free space where mutua keeps its files.",
            value=selectors.free_disk_bytes(),
        )

    def _dispatch(self) -> Metric:
        # One query: a count per bucket bound, cumulative as Prometheus histograms are.
        counts = {
            f"le_{i}": Count("pk", filter=Q(seconds__lte=bound))
            for i, bound in enumerate(DISPATCH_BUCKETS)
        }
        totals = DispatchRun.objects.order_by().aggregate(
            n=Count("pk"), total=Sum("seconds"), **counts
        )
        buckets: list[tuple[str, float]] = [
            (str(bound), totals[f"le_{i}"]) for i, bound in enumerate(DISPATCH_BUCKETS)
        ]
        buckets.append(("+Inf", totals["n"]))
        return HistogramMetricFamily(
            "mutua_dispatch_round_seconds",
            "Time each dispatch round took, over the rounds on record.",
            buckets=buckets,
            sum_value=totals["total"] or 0.0,
        )


def may_scrape(request: HttpRequest) -> bool:
    """A holder of MUTUA_METRICS_TOKEN from anywhere; otherwise only this machine, and not
    through a proxy (which connects from loopback on behalf of anyone)."""
    token = settings.MUTUA_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return True
    if any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def render() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(DatabaseCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
