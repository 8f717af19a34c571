"""`/metrics`' body: the counters and histograms (app.metrics) plus what is read at scrape time from the store (jobs
by state, queue depth, the oldest queued job's age) and from the chains (the facilitator's ETH and the fee payer's
SOL, cached a minute; a balance under its floor is logged as a warning each time it is read)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from app.config import Settings
from app.metrics import counters_registry
from app.store.seam import JobStore
from payments.gateway import PaymentGateway
from payments.observe import GasBalance

log = logging.getLogger("forge402.metrics")

BALANCE_CACHE_S = 60.0
BALANCE_TIMEOUT_S = 5.0


class _Combined:
    """What `generate_latest` reads: the counters' registry and this scrape's gauges."""

    def __init__(self, registry: Any, families: Iterable[Metric]) -> None:
        self._registry = registry
        self._families = list(families)

    def collect(self) -> Iterator[Metric]:
        yield from self._registry.collect()
        yield from self._families


class MetricsReader:
    def __init__(self, jobs: JobStore, settings: Settings, gateway: PaymentGateway | None) -> None:
        self.jobs = jobs
        self.gateway = gateway
        self.floors = {
            "facilitator": settings.facilitator_balance_floor_wei,
            "fee_payer": settings.fee_payer_balance_floor_lamports,
        }
        self._balances: list[GasBalance] = []
        self._balances_at = float("-inf")
        self._lock = asyncio.Lock()

    async def render(self) -> bytes:
        """The Prometheus text exposition of everything."""
        families = await self.families()
        return await asyncio.to_thread(generate_latest, _Combined(counters_registry(), families))  # type: ignore[arg-type]

    async def families(self) -> list[Metric]:
        """The gauges read now: jobs by state, queue depth and age, gas balances."""
        counts = await self.jobs.count_by_status()
        oldest = await self.jobs.oldest_queued_at()
        by_state = GaugeMetricFamily("forge402_jobs", "Jobs by state", labels=["state"])
        for state, n in counts.items():
            by_state.add_metric([state], n)
        depth = GaugeMetricFamily("forge402_queue_depth", "Jobs waiting in the queue", value=counts["queued"])
        age = GaugeMetricFamily(
            "forge402_queue_oldest_age_seconds",
            "How long the job waiting longest has waited (0: the queue is empty)",
            value=max(0.0, time.time() - oldest) if oldest is not None else 0.0,
        )
        found = [by_state, depth, age]
        balances = await self.balances()
        if balances:
            gauge = GaugeMetricFamily(
                "forge402_gas_balance",
                "What our settling accounts hold for fees, in ETH (facilitator) or SOL (fee payer)",
                labels=["network", "account", "symbol"],
            )
            for balance in balances:
                gauge.add_metric([balance.network, balance.account, balance.symbol], balance.amount)
            found.append(gauge)
        return found

    async def balances(self) -> list[GasBalance]:
        """The gas balances, read at most once a minute (a scrape never waits on a slow node twice)."""
        if self.gateway is None:
            return []
        async with self._lock:
            if time.monotonic() - self._balances_at < BALANCE_CACHE_S:
                return self._balances
            self._balances_at = time.monotonic()
            try:
                self._balances = await asyncio.wait_for(self.gateway.gas_balances(), BALANCE_TIMEOUT_S)
            except Exception as exc:  # a node that does not answer: keep the last reading, say so
                log.warning("gas balances could not be read: %s", type(exc).__name__)
                return self._balances
            for balance in self._balances:
                floor = self.floors.get(balance.account, 0)
                if floor and balance.atomic < floor:
                    log.warning(
                        "the %s %s on %s holds %s %s, under its floor of %s: top it up", balance.account,
                        balance.address, balance.network, f"{balance.amount:.9g}", balance.symbol,
                        f"{floor / 10**balance.decimals:.9g}",
                    )  # fmt: skip
            return self._balances
