"""The HTTP transport under the chain clients: POST a JSON body to one URL over a pool of keep-alive HTTP/1.1
connections, and read the answer's body.

Hand-written for speed, on purpose. Every paid call makes three JSON-RPC calls (more on Solana), and on the paid path
the client's own CPU is what counts: measured against a local anvil on one core (`scripts/bench_rpc.py`), a call
through aiohttp's pooled session costs ~235 us of CPU, through this transport ~80 us. It is small because the job is
small: one origin, POST only, bodies in memory, no redirects, cookies, proxies or compression. What it keeps from a
general client: TLS (https, verified against the system's roots), credentials in the URL (Basic auth), paths and
queries (a provider's key in the URL), chunked answers and `Connection: close` (httptools' parser, which uvicorn
already brings), a connection limit, and a deadline per request.

Errors: `TransportError` when there is no usable answer (unreachable, refused, reset, timed out, not 2xx, garbled);
whether a request that failed after it was written reached the server is unknown, as with any HTTP client.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import ssl
from urllib.parse import unquote, urlsplit

import httptools

CONNECT_TIMEOUT_SECONDS = 5.0


class TransportError(Exception):
    """No usable answer from the server."""


class _Target:
    """Where requests go, parsed once: host, port, TLS, the request line's target and the fixed header block."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.host = parts.hostname
        self.tls = parts.scheme == "https"
        self.port = parts.port or (443 if self.tls else 80)
        default_port = parts.port is None or parts.port == (443 if self.tls else 80)
        host_header = self.host if ":" not in self.host else f"[{self.host}]"  # an IPv6 literal keeps its brackets
        if not default_port:
            host_header += f":{self.port}"
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"POST {path} HTTP/1.1", f"Host: {host_header}", "Content-Type: application/json"]
        if parts.username is not None:
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            lines.append("Authorization: Basic " + base64.b64encode(pair.encode()).decode("ascii"))
        self.head = ("\r\n".join(lines) + "\r\nContent-Length: ").encode("latin-1")


class _Connection(asyncio.Protocol):
    """One keep-alive connection: one request at a time, its answer parsed as it arrives."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.answer: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.body: list[bytes] = []
        self.closed = False

    # ---- asyncio.Protocol ----
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(TransportError(f"unreadable HTTP answer: {exc}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(TransportError(f"connection lost: {exc or 'closed by the server'}"))

    # ---- httptools callbacks ----
    def on_body(self, chunk: bytes) -> None:
        self.body.append(chunk)

    def on_message_complete(self) -> None:
        answer, self.answer = self.answer, None
        body, self.body = b"".join(self.body), []
        if answer is not None and not answer.done():
            answer.set_result((self.parser.get_status_code(), body, self.parser.should_keep_alive()))

    # ---- ours ----
    def send(self, data: bytes) -> asyncio.Future[tuple[int, bytes, bool]]:
        assert self.transport is not None and self.answer is None
        self.answer = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self.answer

    def _fail(self, exc: Exception) -> None:
        answer, self.answer = self.answer, None
        if answer is not None and not answer.done():
            answer.set_exception(exc)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class HttpTransport:
    """POST JSON to one URL; `post(body)` returns the answer's body (a 2xx) or raises TransportError.

    Connections are made on first use in the running loop; a later loop (a test's, a CLI's) gets its own."""

    def __init__(self, url: str, timeout: float = 10.0, max_connections: int = 32) -> None:
        self.url = url
        self.timeout = timeout
        self._target = _Target(url)
        self._max_connections = max_connections
        self._idle: collections.deque[_Connection] = collections.deque()
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ssl: ssl.SSLContext | None = ssl.create_default_context() if self._target.tls else None

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._idle.clear()  # another loop's connections cannot be used here (nor closed from here)
            self._slots = asyncio.Semaphore(self._max_connections)
            self._loop = loop

    async def post(self, body: bytes) -> bytes:
        self._bind_loop()
        assert self._slots is not None
        request = self._target.head + b"%d\r\n\r\n" % len(body) + body
        async with self._slots:
            conn: _Connection | None = None
            try:
                async with asyncio.timeout(self.timeout):
                    conn = self._reuse() or await self._connect()
                    status, answer, keep_alive = await conn.send(request)
            except TimeoutError:
                raise TransportError(f"no answer within {self.timeout:g} s") from None
            except OSError as exc:
                raise TransportError(f"{type(exc).__name__}: {exc}") from exc
            finally:
                if conn is not None and (conn.answer is not None or conn.closed):  # cut short, or gone
                    conn.close()
                    conn = None
            if conn is not None and keep_alive:
                self._idle.append(conn)
            elif conn is not None:
                conn.close()
        if not 200 <= status < 300:
            raise TransportError(f"HTTP {status}: {answer[:200]!r}")
        return answer

    def _reuse(self) -> _Connection | None:
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed:
                return conn
        return None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        target = self._target
        async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS):
            _, conn = await loop.create_connection(
                _Connection,
                target.host,
                target.port,
                ssl=self._ssl,
                server_hostname=target.host if target.tls else None,
            )
        return conn

    async def close(self) -> None:
        """Close the idle connections (those of the running loop; another loop's are dropped)."""
        idle, self._idle = self._idle, collections.deque()
        if self._loop is asyncio.get_running_loop():
            for conn in idle:
                conn.close()
