"""JSON-RPC for the chain clients (`payments.evm.rpc`, `payments.svm.rpc`): one keep-alive HTTP/1.1 pool, batches,
typed errors, and the polling rhythm used to wait for a transaction.

Thin on purpose: the paid path makes three round trips (one batch of reads, the send, the receipt or status), and a
chain SDK's middleware stack would cost more than the chain itself on a local node. The pool is aiohttp's: a call
costs about a seventh of the CPU of the same call through httpx (measured against anvil: ~170 against ~1,150 us on
a loaded core), and the paid path's own CPU is mostly its RPC calls.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable, Sequence
from functools import partial
from typing import Any

import aiohttp

from payments.errors import PaymentError

_POLL_DELAYS = (0.0, 0.002, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16)  # a local node answers at once; then 250 ms steps
_POLL_STEP = 0.25


async def polls(timeout: float) -> AsyncIterator[None]:
    """Yield once at once, then after short growing pauses, then every 250 ms; stop before `timeout` would pass."""
    deadline = time.monotonic() + timeout
    for delay in itertools.chain(_POLL_DELAYS, itertools.repeat(_POLL_STEP)):
        if delay:
            if time.monotonic() + delay > deadline:
                return
            await asyncio.sleep(delay)
        yield


class RpcError(PaymentError):
    """The node answered with a JSON-RPC error."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__("rpc_error", f"{message} (code {code})")
        self.code = code
        self.rpc_message = message
        self.data = data


class RpcUnavailable(PaymentError):
    """The node could not be reached or answered garbage; the outcome of a send is unknown."""

    def __init__(self, message: str) -> None:
        super().__init__("rpc_unavailable", message)


_dumps = partial(json.dumps, separators=(",", ":"))


class JsonRpcClient:
    """JSON-RPC over one pooled aiohttp session. `call` raises typed errors; `batch` returns results or errors.

    The session is made on first use, in the event loop that uses it (a client built outside any loop, or used by
    a later one, gets a session of that loop's own)."""

    def error_of(self, err: dict[str, Any]) -> RpcError:
        """The error a JSON-RPC error object stands for (a chain client names its own kinds)."""
        return RpcError(int(err.get("code", 0)), str(err.get("message", "")), err.get("data"))

    def __init__(
        self,
        url: str,
        timeout: float = 10.0,
        max_connections: int = 32,
        observe: Callable[[str, float, bool], None] | None = None,  # (method, seconds, answered): RPC latency
    ) -> None:
        self.url = url
        self._observe = observe
        self._ids = itertools.count(1)
        self._timeout = aiohttp.ClientTimeout(total=timeout, connect=5.0)
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections),
                timeout=self._timeout,
                headers={"content-type": "application/json"},
                json_serialize=_dumps,
            )
            self._loop = loop
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed and self._loop is asyncio.get_running_loop():
            await session.close()

    async def _post(self, body: Any, method: str) -> Any:
        started, ok = time.perf_counter(), False
        try:
            async with self._http().post(self.url, json=body) as r:
                r.raise_for_status()
                answer = json.loads(await r.read())
            ok = True
            return answer
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise RpcUnavailable(f"{self.url}: {type(exc).__name__}: {exc}") from exc
        finally:
            if self._observe is not None:
                self._observe(method, time.perf_counter() - started, ok)

    async def call(self, method: str, *params: Any) -> Any:
        body = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)}
        answer = await self._post(body, method)
        if not isinstance(answer, dict):
            raise RpcUnavailable(f"{method}: not a JSON-RPC answer")
        if answer.get("error"):
            raise self.error_of(answer["error"])
        return answer.get("result")

    async def batch(self, calls: Sequence[tuple[str, list[Any]]]) -> list[Any | RpcError]:
        """Several calls in one round trip; each slot holds its result or its RpcError (never raised)."""
        first = next(self._ids)
        body = [{"jsonrpc": "2.0", "id": first + i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
        for _ in range(len(calls) - 1):
            next(self._ids)
        answer = await self._post(body, "batch")
        if not isinstance(answer, list):
            if isinstance(answer, dict) and answer.get("error"):
                raise self.error_of(answer["error"])
            raise RpcUnavailable("batch: not a JSON-RPC batch answer")
        by_id = {a.get("id"): a for a in answer if isinstance(a, dict)}
        out: list[Any | RpcError] = []
        for i in range(len(calls)):
            a = by_id.get(first + i)
            if a is None:
                out.append(RpcUnavailable(f"batch: no answer for {calls[i][0]}"))  # type: ignore[arg-type]
            elif a.get("error"):
                out.append(self.error_of(a["error"]))
            else:
                out.append(a.get("result"))
        return out
