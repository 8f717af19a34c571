"""The MCP server on the official `mcp` SDK (its low-level `Server`): tools listed and called, the model as a
resource. Transport-free: `resolve` says who is calling (the services and the `Caller`) from the transport's request
(streamable HTTP: the Starlette request; stdio: none). Every failure of a call is a tool error with the HTTP lane's
code and message, never a protocol error; an unexpected one is logged and answered `internal_error`."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.lowlevel.helper_types import ReadResourceContents
from pydantic import AnyUrl

from app import __version__
from app.engines.base import ProviderError
from app.errors import ForgeError
from app.mcp import resources, results
from app.mcp.calls import TOOLS, Call
from app.mcp.progress import Report, no_report
from app.mcp.tools import build_tools
from app.services.caller import Caller
from app.services.container import Services

log = logging.getLogger("forge402.mcp")

Resolve = Callable[[Any], tuple[Services, Caller]]  # the transport's request (or None) → services, caller
INSTRUCTIONS = (
    "forge402 makes 3D models (GLB) from a text prompt or photos. forge_generate is paid per call with x402 (USDC on "
    "Base or Solana; an x402 MCP client pays it); forge_generate_free is its rate-limited free twin. Both answer a "
    "job: poll forge_status, or pass wait: true to get the finished model. forge_catalog lists tiers and prices."
)


def reporter(ctx: Any) -> Report:
    """Progress notifications for this call, on its own stream, if the client asked for them (a progress token)."""
    token = ctx.meta.progressToken if ctx.meta is not None else None
    if token is None:
        return no_report

    async def report(progress: float, message: str) -> None:
        with contextlib.suppress(Exception):  # a client gone or a closed stream must not end the call's work
            await ctx.session.send_progress_notification(token, progress, 100, message, str(ctx.request_id))

    return report


def build_server(resolve: Resolve) -> Server[Any, Any]:
    server: Server[Any, Any] = Server("forge402", version=__version__, instructions=INSTRUCTIONS)
    listed: dict[int, tuple[Services, list[types.Tool]]] = {}  # per Services: prices change with the configuration

    @server.list_tools()
    async def list_tools() -> list[types.Tool]:
        svc, _ = resolve(server.request_context.request)
        held = listed.get(id(svc))
        if held is None or held[0] is not svc:  # held with its services: an id is never reused while held
            held = listed[id(svc)] = (svc, build_tools(svc))
        return held[1]

    @server.call_tool(validate_input=False)  # arguments are checked as the HTTP lane checks a body, same codes
    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        ctx = server.request_context
        tool = TOOLS.get(name)
        if tool is None:
            known = ", ".join(TOOLS)
            return results.refusal("unknown_tool", f"There is no tool {name[:80]!r}; the tools are: {known}.")
        svc, caller = resolve(ctx.request)
        try:
            return await tool(Call(svc, caller, arguments, ctx.meta, reporter(ctx)))
        except (ForgeError, ProviderError) as exc:
            return results.from_error(exc)
        except Exception:
            log.exception("tool %s failed", name)  # the traceback goes to the log, never to the client
            return results.refusal("internal_error", "Something went wrong on our side; please retry.")

    @server.list_resource_templates()
    async def list_templates() -> list[types.ResourceTemplate]:
        return resources.TEMPLATES

    @server.read_resource()
    async def read_resource(uri: AnyUrl) -> list[ReadResourceContents]:
        svc, _ = resolve(server.request_context.request)
        return await resources.read(svc, str(uri))

    return server
