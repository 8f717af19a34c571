"""MCP over stdio (`forge402 mcp`, started by an MCP host as a local command): the protocol owns the process's
standard output, so everything else the process (or a child: devnets, engine processes) writes there goes to
standard error instead. Two ways to serve: the tools in this process (`serve`), or a relay of every message to a
running forge402's `/mcp` (`relay`), so a remote server is used through a local command."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from io import TextIOWrapper
from typing import Any

import anyio
import httpx
from mcp.client.streamable_http import streamable_http_client
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage

log = logging.getLogger("forge402.mcp")
RELAY_READ_TIMEOUT_S = 900.0  # a waiting call streams progress; its job times out after at most 10 minutes


@contextlib.contextmanager
def protocol_stdout() -> Iterator[anyio.AsyncFile[str]]:
    """Standard output for the protocol alone: the real stdout is kept for it, and file descriptor 1 (print, logs,
    child processes) now writes to standard error."""
    kept = os.dup(1)
    os.dup2(2, 1)
    binary = os.fdopen(kept, "wb", buffering=0)
    try:
        yield anyio.wrap_file(TextIOWrapper(binary, encoding="utf-8", write_through=True))
    finally:
        binary.close()


async def serve(server: Server[Any, Any], stdout: anyio.AsyncFile[str]) -> None:
    """Serve `server` over stdin/stdout until the host closes stdin."""
    async with stdio_server(stdout=stdout) as (read, write):
        await server.run(read, write, server.create_initialization_options())


def mcp_url(server: str) -> str:
    """A forge402 server's MCP endpoint: its base URL plus /mcp, or the endpoint as given."""
    url = httpx.URL(server)
    return str(url.copy_with(path="/mcp")) if url.path in ("", "/") else str(url)


async def relay(server: str, stdout: anyio.AsyncFile[str], headers: dict[str, str] | None = None) -> None:
    """Every message from the host to the server's streamable HTTP endpoint and every answer and notification
    back, unchanged (payments in `_meta` included), until the host closes stdin."""
    timeout = httpx.Timeout(30.0, read=RELAY_READ_TIMEOUT_S)
    async with (
        httpx.AsyncClient(headers=headers or {}, timeout=timeout, follow_redirects=False) as http,
        stdio_server(stdout=stdout) as (host_read, host_write),
        streamable_http_client(mcp_url(server), http_client=http) as (server_read, server_write, _),
        anyio.create_task_group() as tasks,
    ):

        async def upstream() -> None:
            async for message in host_read:
                if isinstance(message, Exception):
                    log.warning("unreadable message from the host: %s", message)
                    continue
                await server_write.send(SessionMessage(message.message))
            tasks.cancel_scope.cancel()  # the host closed stdin: nothing more to relay

        async def downstream() -> None:
            async for message in server_read:
                if isinstance(message, Exception):
                    log.warning("from %s: %s", server, message)
                    continue
                await host_write.send(SessionMessage(message.message))

        tasks.start_soon(upstream)
        tasks.start_soon(downstream)
