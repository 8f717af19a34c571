"""The local chains from the command line: started beside the service (`start_local_chains`), or alone until
Ctrl-C (`forge402 devnet`)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

import click

from app.cli.exits import settings_or_exit
from app.config import Settings


class Chain(Protocol):
    async def stop(self) -> None: ...


def _start_chain(
    start: Callable[[Path], Awaitable[tuple[Chain, Any]]], settings: Settings, off: str, ready: Callable[[Any], str]
) -> Chain | None:
    """Start one local chain as our child and point the paid lane at it (through the environment, which the HTTP
    workers inherit); a chain that fails to start is off, said in one line.

    Started from the main thread on purpose: the child is told to die with the thread that started it."""
    from app.devnet.processes import DevnetError

    try:
        child, devnet = asyncio.run(start(settings.data_dir))
    except DevnetError as exc:
        click.echo(f"forge402: {off.format(exc=exc)}", err=True)
        return None
    os.environ.update(devnet.service_env())
    click.echo(f"forge402: {ready(devnet)}", err=True)
    return child


def start_local_chains(settings: Settings) -> list[Chain]:
    """Both local chains (Base on anvil + test USDC, Solana on LiteSVM), each our child."""
    from app.devnet.anvil import start_evm_devnet
    from app.devnet.litesvm import start_svm_devnet

    base = _start_chain(
        start_evm_devnet, settings, "the local devnet did not start ({exc}); the paid lane is off.",
        lambda d: f"local devnet {d.network} at {d.rpc_url}, demo payers in {settings.data_dir / 'devnet.json'}",
    )  # fmt: skip
    solana = _start_chain(
        start_svm_devnet, settings, "the local Solana devnet did not start ({exc}); Solana payments are off.",
        lambda d: f"local Solana devnet at {d.rpc_url} (LiteSVM)",
    )  # fmt: skip
    return [chain for chain in (base, solana) if chain is not None]


@click.command()
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR.")
@click.option("--port", type=int, default=None, help="anvil's port (default: a free one).")
@click.option("--svm-port", type=int, default=None, help="the Solana devnet's port (default: a free one).")
def devnet(data_dir: Path | None, port: int | None, svm_port: int | None) -> None:
    """Run the local devnets alone (anvil + test USDC, LiteSVM Solana + USDC, funded demo payers) until Ctrl-C;
    writes devnet.json."""
    from app.devnet.anvil import main as run_devnet
    from app.devnet.litesvm import start_svm_devnet

    settings = settings_or_exit(data_dir)
    solana, described = asyncio.run(start_svm_devnet(settings.data_dir, svm_port))
    click.echo(f"solana devnet {described.rpc_url} (pid {solana.pid})", err=True)
    args = ["--data-dir", str(settings.data_dir)] + (["--port", str(port)] if port else [])
    try:
        code = run_devnet(args)
    finally:
        asyncio.run(solana.stop())
    sys.exit(code)
