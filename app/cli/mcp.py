"""`forge402 mcp`: forge402 as an MCP server over stdio, for an MCP host that starts it as a local command. Without
`--server` the whole service runs in this process (the embedded default, local devnets included) and the tools are
served straight from its services; its HTTP side listens on a loopback port so the links the tools answer with
(GLB, thumbnail, upload slots) work. With `--server URL` every message is relayed to that server's `/mcp`."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import anyio
import click

from app.cli.chains import start_local_chains
from app.cli.exits import EXIT_SERVER, settings_or_exit
from app.cli.serve import check_chains_or_exit
from app.config import Settings

LOCAL = "127.0.0.1"


@click.command()
@click.option("--server", metavar="URL", help="Relay to a running forge402 (its base URL or its /mcp endpoint).")
@click.option("--port", default=0, show_default=True, type=int, help="Loopback port of the links (0: a free one).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR.")
@click.option("--provider-key", envvar="FORGE402_PROVIDER_KEY", help="Your key for a third-party backend.")
def mcp(server: str | None, port: int, data_dir: Path | None, provider_key: str | None) -> None:
    """Serve the MCP tools over stdio (in this process, or relayed to --server)."""
    from app.mcp.stdio import protocol_stdout, relay

    logging.basicConfig(level=logging.WARNING, format="forge402 %(levelname)s %(name)s: %(message)s")
    with protocol_stdout() as stdout:  # before any child process starts: none of them may write on the protocol
        if server is not None:
            headers = {"x-forge-provider-key": provider_key} if provider_key else {}
            anyio.run(relay, server, stdout, headers)
            return
        settings = settings_or_exit(data_dir)
        if settings.paid_lane_configured:
            check_chains_or_exit(settings)
        chains = start_local_chains(settings) if settings.devnet and not settings.paid_lane_configured else []
        try:
            asyncio.run(embedded(settings_or_exit(), port, provider_key, stdout))  # the devnets' settings too
        finally:
            for chain in chains:
                asyncio.run(chain.stop())


async def embedded(settings: Settings, port: int, provider_key: str | None, stdout: anyio.AsyncFile[str]) -> None:
    """The service in this process, its HTTP side on a loopback port, the tools over stdio until the host closes
    stdin (or a signal stops the service)."""
    import uvicorn

    from app.application import create_app
    from app.mcp import stdio
    from app.mcp.server import build_server
    from app.services.caller import Caller

    app = create_app(settings)
    config = uvicorn.Config(
        app, host=LOCAL, port=port, log_level="warning", access_log=False, server_header=False, proxy_headers=False,
        timeout_graceful_shutdown=5,
    )  # fmt: skip
    web = uvicorn.Server(config)
    serving = asyncio.create_task(web.serve())
    while not web.started:
        if serving.done():  # it could not start (port taken, bad configuration): said on stderr
            raise SystemExit(EXIT_SERVER)
        await asyncio.sleep(0.02)
    bound = web.servers[0].sockets[0].getsockname()[1]
    origin = f"{LOCAL}:{bound}"
    caller = Caller(settings.public_url or f"http://{origin}", frozenset({origin}), provider_key, "stdio")
    services = app.state.services
    talking = asyncio.create_task(stdio.serve(build_server(lambda _request: (services, caller)), stdout))
    try:
        await asyncio.wait({serving, talking}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        talking.cancel()
        web.should_exit = True
        await asyncio.gather(serving, talking, return_exceptions=True)
