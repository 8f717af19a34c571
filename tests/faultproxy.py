"""A TCP proxy that can cut a service off, for fault tests: clients connect to the proxy, the proxy to the service
(PostgreSQL here). `cut()` drops every open connection and refuses new ones, as a restarting server does, without
touching the service itself (its state survives); `restore()` lets connections through again. Runs its event loop
in a thread of the test process."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Self

from app.devnet.processes import free_port

HOST = "127.0.0.1"


class FaultProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fault-proxy")
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._cut = False

    def _call(self, fn: object) -> object:
        return asyncio.run_coroutine_threadsafe(fn, self._loop).result(10)  # type: ignore[arg-type]

    def start(self) -> Self:
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._accept, HOST, self.port))  # type: ignore[assignment]
        return self

    def stop(self) -> None:
        self.cut()

        async def close() -> None:
            assert self._server is not None
            self._server.close()

        self._call(close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def cut(self) -> None:
        """Drop every connection through the proxy and refuse new ones until `restore`."""

        async def drop() -> None:
            self._cut = True
            for writer in list(self._open):
                writer.transport.abort()
            self._open.clear()

        self._call(drop())

    def restore(self) -> None:
        async def let_through() -> None:
            self._cut = False

        self._call(let_through())

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._cut:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._open.update((writer, up_writer))
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._open.discard(writer)
            with contextlib.suppress(Exception):
                writer.transport.abort()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
