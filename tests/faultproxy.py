"""An HTTP fault-injecting proxy for the chaos tests: put it between forge402 and a JSON-RPC node (or a provider's
API) and choose, at any moment, how the upstream behaves:

- `pass`: every request is forwarded and its answer relayed (keep-alive on both sides);
- `down`: every connection is closed as soon as a request arrives, with no answer (a node that died);
- `slow`: forwarded after `delay` seconds (a node under load);
- `garbage`: answered at once, 200, with a body that is not what was asked (`garbage_body`: not JSON by default).

It runs its own asyncio loop in a thread, on a loopback port; `requests` counts what it saw (by mode).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import Counter
from typing import Literal, Self

import httpx

from app.devnet.processes import free_port

Mode = Literal["pass", "down", "slow", "garbage"]
HOST = "127.0.0.1"
MAX_HEAD = 64 * 1024


class FaultProxy:
    def __init__(self, upstream: str, name: str = "fault-proxy") -> None:
        self.upstream = upstream.rstrip("/")
        self.name = name
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.mode: Mode = "pass"
        self.delay = 5.0
        self.garbage_body = b"<html><body>502 Bad Gateway (nginx)</body></html>"
        self.requests: Counter[str] = Counter()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name=name)
        self._server: asyncio.Server | None = None
        self._client: httpx.AsyncClient | None = None

    def start(self) -> Self:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), self._loop).result(10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _open(self) -> None:
        self._client = httpx.AsyncClient(timeout=60)
        self._server = await asyncio.start_server(self._connection, HOST, self.port)

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        if self._client is not None:
            await self._client.aclose()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                mode = self.mode
                self.requests[mode] += 1
                if mode == "down":
                    return  # closed with no answer
                if mode == "garbage":
                    writer.write(_answer(200, "text/html", self.garbage_body))
                else:
                    if mode == "slow":
                        await asyncio.sleep(self.delay)
                    writer.write(await self._forward(*request))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _forward(self, method: str, target: str, headers: dict[str, str], body: bytes) -> bytes:
        assert self._client is not None
        keep = {k: v for k, v in headers.items() if k not in ("host", "content-length", "connection")}
        try:
            answer = await self._client.request(method, self.upstream + target, headers=keep, content=body)
        except httpx.HTTPError:
            return _answer(502, "text/plain", b"upstream unreachable")
        return _answer(answer.status_code, answer.headers.get("content-type", "application/json"), answer.content)


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str], bytes] | None:
    """One HTTP/1.1 request (Content-Length bodies, as JSON-RPC clients send), or None at the end of the stream."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    if len(head) > MAX_HEAD:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
    return method, target, headers, body


def _answer(status: int, content_type: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
    return head.encode() + body
