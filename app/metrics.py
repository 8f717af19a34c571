"""The service's Prometheus metrics (prometheus-client), defined once and updated where things happen:

    forge402_http_requests_total{route, method, status}     every answer, by route template (app.http.requestcount)
    forge402_settlements_total{network, outcome}            x402 settlements (payments/ reports them: PaymentMetrics)
    forge402_rpc_seconds{network, method, ok}               chain JSON-RPC round trips (likewise)
    forge402_engine_seconds{tier, backend, outcome}         building a job's model (app.jobs.runner, app.jobs.remote)

What the store and the chains know is read when /metrics is scraped (`app.services.metrics`): jobs by state, the
queue's depth and its oldest job's age, the facilitator's and fee payer's gas balances.

With several HTTP worker processes (`serve --workers N`), counters and histograms are shared through prometheus-client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by `forge402 serve`), so any worker's scrape sums them all.
"""

from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client import multiprocess as _multiprocess

REQUESTS = Counter(
    "forge402_http_requests", "HTTP answers, by route template, method and status", ["route", "method", "status"]
)
SETTLEMENTS = Counter("forge402_settlements", "x402 settlements, by network and outcome", ["network", "outcome"])
RPC_SECONDS = Histogram(
    "forge402_rpc_seconds",
    "Chain JSON-RPC round trips, by network, method (or batch) and whether the node answered",
    ["network", "method", "ok"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ENGINE_SECONDS = Histogram(
    "forge402_engine_seconds",
    "Time building one job's model (a provider's included), by tier, backend and outcome",
    ["tier", "backend", "outcome"],
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
)


def counters_registry() -> CollectorRegistry:
    """What a scrape reads the counters and histograms from: this process's, or every worker's in multiprocess mode."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    _multiprocess.MultiProcessCollector(registry)
    return registry


class PaymentMetrics:
    """The paid lane's observer (payments.observe.PaymentObserver): settlements and RPC latency into the metrics."""

    def settlement(self, network: str, outcome: str) -> None:
        SETTLEMENTS.labels(network, outcome).inc()

    def rpc(self, network: str, method: str, seconds: float, ok: bool) -> None:
        RPC_SECONDS.labels(network, method, "true" if ok else "false").observe(seconds)
