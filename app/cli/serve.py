"""`forge402 serve`: the service under uvicorn, with local chains for the paid lane when none is configured."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import click

from app.cli.chains import start_local_chains
from app.cli.exits import EXIT_INPUT, check_store_or_exit, settings_or_exit
from app.config import Settings
from app.logs import configure, log_config

log = logging.getLogger("forge402")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8402, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="HTTP worker processes.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR.")
@click.option("--log-level", default="info", show_default=True)
def serve(host: str, port: int, workers: int, data_dir: Path | None, log_level: str) -> None:
    """Run the service (embedded default: SQLite, local files, built-in engine, a local devnet for the paid lane)."""
    import uvicorn

    settings = settings_or_exit(data_dir)
    check_store_or_exit(settings)
    if settings.paid_lane_configured:
        check_chains_or_exit(settings)
    chains = start_local_chains(settings) if settings.devnet and not settings.paid_lane_configured else []
    configure(log_level, settings.log_format)  # this process's own lines look like the workers'
    log.info("forge402 serving on http://%s:%d (data: %s)", host, port, settings.data_dir.resolve())
    metrics_dir = shared_metrics_dir() if workers > 1 else None
    try:
        uvicorn.run(
            "app.application:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            log_config=log_config(log_level, settings.log_format),
            timeout_graceful_shutdown=5,
            proxy_headers=False,  # X-Forwarded-For is judged by app.http.clientip against FORGE402_TRUSTED_PROXIES
            server_header=False,
        )
    finally:
        for chain in chains:
            asyncio.run(chain.stop())
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def shared_metrics_dir() -> str | None:
    """Several HTTP workers share their counters through files (prometheus-client's multiprocess mode), in a fresh
    directory each start; None when the operator named one (PROMETHEUS_MULTIPROC_DIR): it is theirs to empty."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return None
    path = tempfile.mkdtemp(prefix="forge402-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path  # before any worker imports prometheus-client
    return path


def check_chains_or_exit(settings: Settings) -> None:
    """Reach every configured chain once before serving: a wrong RPC URL or chain is one clear line, not a
    traceback from each worker."""
    from app.paid.gateway import check_chains
    from payments.gateway import ConfigurationError

    try:
        asyncio.run(check_chains(settings))
    except ConfigurationError as exc:
        click.echo(f"forge402: the paid lane cannot start: {exc}", err=True)
        sys.exit(EXIT_INPUT)
