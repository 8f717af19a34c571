"""`forge402` command line: run the service (`serve`, `worker`, `migrate`), its local chains alone (`devnet`), serve
it to an MCP host over stdio (`mcp`), use a server from the terminal (`generate`, `batch`), or read the operator's
books (`payments`)."""

from __future__ import annotations

import click

from app.cli.chains import devnet
from app.cli.generate import batch, generate
from app.cli.mcp import mcp
from app.cli.payments import payments
from app.cli.serve import migrate, serve, worker


@click.group()
@click.version_option(package_name="forge402")
def main() -> None:
    """forge402: prompt in, GLB out — a free lane and an x402 paid twin."""


for command in (serve, worker, migrate, devnet, mcp, generate, batch, payments):
    main.add_command(command)

__all__ = ["main"]
