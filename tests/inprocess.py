"""forge402 served inside the test process, for plain request/response tests: `create_app(settings)` with its
lifespan running on an event loop in a thread of its own, and requests through `httpx.ASGITransport` (no socket,
no server process to start). What needs a real socket (concurrency, crashes, official clients, a provider fetching
from us) uses `tests.live.LiveServer`; both give `url`, `data_dir` and `client()`."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Self, TypeVar

import httpx

from app.application import create_app
from tests import backends
from tests.settings import TEST_ENV, settings_from

T = TypeVar("T")
CALL_TIMEOUT_S = 120.0


class InProcessServer:
    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        store = backends.current().server_env(data_dir)
        self.settings = settings_from(data_dir, {**TEST_ENV, **store, **(env or {})})
        self.url = "http://testserver"
        self.app = create_app(self.settings)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="in-process-server")
        self._lifespan = self.app.router.lifespan_context(self.app)

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the server's event loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(CALL_TIMEOUT_S)

    def start(self) -> Self:
        self._thread.start()
        self.call(self._lifespan.__aenter__())
        return self

    def stop(self) -> None:
        try:
            self.call(self._lifespan.__aexit__(None, None, None))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()

    def client(self, **options: Any) -> httpx.Client:
        """A synchronous client whose requests this server answers (relative URLs or any host)."""
        return httpx.Client(transport=_Bridge(self), base_url=self.url, **options)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Bridge(httpx.BaseTransport):
    """A sync transport that hands each request to httpx.ASGITransport on the server's loop."""

    def __init__(self, server: InProcessServer) -> None:
        self._server = server
        self._asgi = httpx.ASGITransport(app=server.app, client=("127.0.0.1", 40402))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()

        async def exchange() -> httpx.Response:
            answer = await self._asgi.handle_async_request(request)
            content = await answer.aread()
            return httpx.Response(answer.status_code, headers=answer.headers, content=content, request=request)

        return self._server.call(exchange())
