"""JSON-RPC for the chain clients (`payments.evm.rpc`, `payments.svm.rpc`): one keep-alive HTTP/1.1 pool, batches,
typed errors, and the polling rhythm used to wait for a transaction.

Thin on purpose: the paid path makes three calls (the simulation or a read, the send, the receipt or status), and a
chain SDK's middleware stack would cost more than the chain itself on a local node. The transport is our own
(`payments.transport`, why and how much: there).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import statistics
import time
from collections.abc import AsyncIterator, Callable, Sequence
from functools import partial
from typing import Any

from payments.errors import PaymentError
from payments.transport import HttpTransport, TransportError

# No node knows the outcome of a transaction the instant it accepted it (asked at once, a local anvil had no receipt in
# about half the tries; 1 ms later it always had): the first look is after 1 ms at the earliest, then growing pauses,
# then 250 ms steps
_POLL_DELAYS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16)
_POLL_STEP = 0.25
MAX_FIRST_LOOK = 5.0


async def polls(timeout: float, first: float = _POLL_DELAYS[0]) -> AsyncIterator[None]:
    """Yield after `first` seconds (always, whatever `timeout`), then after short growing pauses, then every 250 ms;
    stop before `timeout` would pass."""
    deadline = time.monotonic() + timeout
    await asyncio.sleep(first)
    yield
    for delay in itertools.chain((d for d in _POLL_DELAYS[1:] if d > first), itertools.repeat(_POLL_STEP)):
        if time.monotonic() + delay > deadline:
            return
        await asyncio.sleep(delay)
        yield


class Pace:
    """How long the chain takes to show what we sent, learnt from the last waits: where the next wait looks first.

    A local node shows a transaction within a millisecond or two; Base takes up to a block (2 s), Solana a slot or
    two. Looking first at 1 ms everywhere costs a real chain about a dozen polls per settlement (RPC calls a provider
    bills); looking first a little before the usual time costs one to three, and no latency. "Usual" is the median of
    the last waits (the time of the look that found it), so one slow wait (a node's first block, a hiccup) does not
    delay the next ones; the first look is at 80 % of it."""

    SAMPLES = 16
    QUICK_SECONDS = 0.01  # a chain that shows a transaction this soon (a local node) is waited on in the send itself

    def __init__(self) -> None:
        self._seen: collections.deque[float] = collections.deque(maxlen=self.SAMPLES)

    def first_look(self) -> float:
        if not self._seen:
            return _POLL_DELAYS[0]
        return min(max(0.8 * statistics.median(self._seen), _POLL_DELAYS[0]), MAX_FIRST_LOOK)

    def saw(self, seconds: float) -> None:
        """The wait's look that found it began `seconds` after the send."""
        self._seen.append(seconds)

    async def looks(self, timeout: float) -> AsyncIterator[float]:
        """`polls` starting at this chain's first look; each yields the seconds since the wait began, which the caller
        passes to `saw` when that look found what it waited for."""
        started = time.monotonic()
        async for _ in polls(timeout, self.first_look()):
            yield time.monotonic() - started

    def quick(self) -> bool:
        """The chain has shown the last transactions within QUICK_SECONDS (three waits seen at least)."""
        return len(self._seen) >= 3 and statistics.median(self._seen) <= self.QUICK_SECONDS


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
    """JSON-RPC over one pooled HTTP transport (`payments.transport`). `call` raises typed errors; `batch` returns
    results or errors.

    The connections are made on first use, in the event loop that uses them (a client built outside any loop, or used
    by a later one, gets connections of that loop's own)."""

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
        self._http = HttpTransport(url, timeout, max_connections)
        self.pace = Pace()  # when this chain shows what we sent (receipts, signature statuses)

    async def close(self) -> None:
        await self._http.close()

    async def _post(self, body: Any, method: str) -> Any:
        started, ok = time.perf_counter(), False
        try:
            answer = json.loads(await self._http.post(_dumps(body).encode()))
            ok = True
            return answer
        except (TransportError, ValueError) as exc:
            raise RpcUnavailable(f"{self.url}: {exc}") from exc
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
