"""`FORGE402_METRICS_LISTEN=host:port`: the metrics on an address of their own (a private interface, a port the
load balancer does not forward), served by prometheus-client's small HTTP server in a thread, no token needed.

With several HTTP worker processes one of them holds the address (the first to bind it); the others try again every
30 s, so the metrics stay served if that worker is replaced. Every worker's counters are in the multiprocess
registry, so whichever serves, a scrape sums them all. The gauges read at scrape time are computed on the service's
event loop (the store and the chains are async)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client import start_http_server
from prometheus_client.core import Metric

from app.metrics import counters_registry
from app.services.metrics import MetricsReader

log = logging.getLogger("forge402.metrics")
RETRY_BIND_S = 30.0
SCRAPE_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 5.0


class _LoopScrape:
    """A registry-like object for prometheus-client's server thread: counters from the registry, gauges from the
    event loop."""

    def __init__(self, reader: MetricsReader, loop: asyncio.AbstractEventLoop) -> None:
        self.reader = reader
        self.loop = loop

    def collect(self) -> Iterator[Metric]:
        yield from counters_registry().collect()
        yield from asyncio.run_coroutine_threadsafe(self.reader.families(), self.loop).result(SCRAPE_TIMEOUT_S)


class MetricsListener:
    def __init__(self, reader: MetricsReader, address: tuple[str, int]) -> None:
        self.reader = reader
        self.address = address
        self._server: Any = None
        self._task: asyncio.Task[None] | None = None

    @property
    def serving(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        self._task = asyncio.create_task(self._hold(), name="metrics-listener")

    async def _hold(self) -> None:
        registry = _LoopScrape(self.reader, asyncio.get_running_loop())
        host, port = self.address
        warned = False
        while self._server is None:
            try:
                self._server, _ = start_http_server(port, host, registry=registry)  # type: ignore[arg-type]
                log.info("metrics served on http://%s:%d/metrics", host, port)
                return
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    log.error("metrics cannot listen on %s:%d: %s", host, port, exc)
                    return
                if not warned:  # another worker process of ours holds it (or something else does)
                    log.info("metrics address %s:%d is taken; trying again every %g s", host, port, RETRY_BIND_S)
                    warned = True
            await asyncio.sleep(RETRY_BIND_S)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._server is not None:
            server, self._server = self._server, None
            # off the event loop, and bounded: a scrape in flight waits on this loop (SCRAPE_TIMEOUT_S), and the
            # node's shutdown must not hang on the metrics
            try:
                await asyncio.wait_for(asyncio.to_thread(_close, server), STOP_TIMEOUT_S)
            except TimeoutError:
                log.warning("the metrics server did not stop within %g s; left to the process's exit", STOP_TIMEOUT_S)


def _close(server: Any) -> None:
    server.shutdown()
    server.server_close()
