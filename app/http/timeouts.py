"""Server-side time limits on what a client sends, so a slow or silent client cannot hold a connection (and its file
descriptor) forever:

- the request's head (request line and headers) must arrive within `header_timeout` seconds of the connection
  opening, or of the first byte of the next request on a kept-alive connection (`HeadTimeoutProtocol`, uvicorn's
  httptools protocol with a deadline); past it the client gets a 408 and the connection is closed;
- the body must arrive within `seconds` of the application starting to read it (`BodyTimeout`, ASGI middleware):
  past it the route answers 408 `request_timeout` and the connection is closed.

Idle kept-alive connections are uvicorn's `timeout_keep_alive`, and the number of connections its
`limit_concurrency` (both set by `forge402 serve`).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

TIMEOUT_CODE = "request_timeout"
HEAD_MESSAGE = "The request's headers did not arrive in time; send the whole request at once."
BODY_MESSAGE = "The request body did not arrive in time; send the whole body at once."


def body_timed_out() -> HTTPException:
    """Raised where the route reads the body; the HTTP edge answers it (app.http.errors), closing the connection."""
    return HTTPException(408, BODY_MESSAGE, headers={"Connection": "close"})


SWEEP_SECONDS = 0.5  # how often the reads past their deadline are looked for: a deadline is kept to within this


class BodyTimeout:
    """The whole request body must arrive within `seconds` of the first read. Only reads of the body are timed: once
    it is complete (or for a request without one), `receive` is the server's own (a streaming answer waits on it for
    the client to leave).

    Cheap on purpose (it is on the unpaid 402's path): no timer per request or per read. A body being read is noted
    in a dict; one sweeper task per event loop, running only while there are such bodies, looks for those past their
    deadline twice a second and cancels the read waiting on the client (the cancellation becomes the 408)."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self._reading: dict[_TimedBody, None] = {}
        self._sweeper: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = _TimedBody(receive, self)
        try:
            await self.app(scope, body, send)
        finally:
            self._reading.pop(body, None)  # a route may answer before reading all of it

    def watch(self, body: _TimedBody) -> None:
        self._reading[body] = None
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep(), name="body-timeouts")

    def forget(self, body: _TimedBody) -> None:
        self._reading.pop(body, None)

    async def _sweep(self) -> None:
        loop = asyncio.get_running_loop()
        while self._reading:
            await asyncio.sleep(SWEEP_SECONDS)
            now = loop.time()
            for body in [body for body in self._reading if body.deadline <= now]:
                del self._reading[body]
                body.expire()


class _TimedBody:
    """One request's `receive` under its body deadline: a read past the deadline is a 408 (raised where the route
    reads the body), whether it was waiting when the deadline passed or comes after."""

    __slots__ = ("_done", "_expired", "_guard", "_receive", "_waiting", "deadline")

    def __init__(self, receive: Receive, guard: BodyTimeout) -> None:
        self._receive = receive
        self._guard = guard
        self._waiting: asyncio.Task[Any] | None = None
        self._expired = False
        self._done = False
        self.deadline = 0.0

    async def __call__(self) -> Message:
        if self._done:
            return await self._receive()
        if self._expired:
            raise self._timed_out()
        if not self.deadline:
            self.deadline = asyncio.get_running_loop().time() + self._guard.seconds
            self._guard.watch(self)
        self._waiting = task = asyncio.current_task()
        try:
            message = await self._receive()
        except asyncio.CancelledError:
            if not self._expired or task is None or task.uncancel() > 0:
                raise  # cancelled by someone else (too)
            raise self._timed_out() from None
        finally:
            self._waiting = None
        if message["type"] != "http.request" or not message.get("more_body", False):
            self._done = True
            self._guard.forget(self)
        return message

    def expire(self) -> None:
        self._expired = True
        if self._waiting is not None:
            self._waiting.cancel()

    def _timed_out(self) -> HTTPException:
        self._done = True
        self._guard.forget(self)
        return body_timed_out()


def _timeout_answer() -> bytes:
    body = json.dumps({"error": TIMEOUT_CODE, "message": HEAD_MESSAGE}).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


REQUEST_TIMEOUT = _timeout_answer()


class HeadTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline on each request's head (uvicorn has none: a connection that sends
    nothing, or its headers a byte at a time, stayed open indefinitely). Give it to uvicorn as
    `http=functools.partial(HeadTimeoutProtocol, header_timeout=...)`."""

    def __init__(self, *args: Any, header_timeout: float = 10.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # the first request's head is due from the moment the connection opens

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()  # the next request on a kept-alive connection: due from its first byte

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.write(REQUEST_TIMEOUT)
            self.transport.close()
