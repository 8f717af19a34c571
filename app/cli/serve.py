"""`forge402 serve`: the service under uvicorn, with local chains for the paid lane when none is configured.
`forge402 worker`: engine work, operator-key provider jobs and webhook deliveries, without HTTP.
`forge402 migrate`: the database's schema brought up to date by hand (and a SQLite deployment copied to PostgreSQL).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import resource
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from app.cli.chains import start_local_chains
from app.cli.exits import EXIT_INPUT, EXIT_SERVER, check_store_or_exit, settings_or_exit
from app.config import Settings
from app.http.timeouts import HeadTimeoutProtocol
from app.logs import configure, log_config

log = logging.getLogger("forge402")
FD_RESERVE = 128  # descriptors kept for the database, engine processes, RPC pools and logs


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8402, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="HTTP worker processes.")
@click.option("--no-engine", is_flag=True, help="Answer HTTP only: models are built by `forge402 worker` processes.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR.")
@click.option("--log-level", default="info", show_default=True)
def serve(host: str, port: int, workers: int, no_engine: bool, data_dir: Path | None, log_level: str) -> None:
    """Run the service (embedded default: SQLite, local files, built-in engine, a local devnet for the paid lane)."""
    import uvicorn

    settings = settings_or_exit(data_dir)
    check_store_or_exit(settings)
    configure(log_level, settings.log_format)  # this process's own lines look like the workers'
    migrate_or_exit(settings)  # once, before the worker processes start (they then find nothing to do)
    settings.signing_keys()  # made here if it is to be generated: every worker process reads the same key
    limits = server_limits(settings)
    if settings.paid_lane_configured:
        check_chains_or_exit(settings)
    chains = start_local_chains(settings) if settings.devnet and not settings.paid_lane_configured else []
    role = " (HTTP only)" if no_engine else ""
    log.info("forge402 serving on http://%s:%d%s (data: %s)", host, port, role, settings.data_dir.resolve())
    metrics_dir = shared_metrics_dir() if workers > 1 else None
    try:
        uvicorn.run(
            "app.application:" + ("api_from_environment" if no_engine else "app_from_environment"),
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            log_config=log_config(log_level, settings.log_format),
            timeout_graceful_shutdown=5,
            proxy_headers=False,  # X-Forwarded-For is judged by app.http.clientip against FORGE402_TRUSTED_PROXIES
            server_header=False,
            **limits,
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


def server_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn's side of the time and connection limits (the body's is app.http.timeouts.BodyTimeout): a deadline on
    each request's head, idle kept-alive connections closed, and connections and requests at once capped below the
    file-descriptor limit (past the cap uvicorn answers 503)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    spare = soft - FD_RESERVE if soft != resource.RLIM_INFINITY else settings.http_max_connections
    return {
        "http": functools.partial(HeadTimeoutProtocol, header_timeout=settings.http_header_timeout_seconds),
        "timeout_keep_alive": settings.http_keep_alive_seconds,
        "limit_concurrency": max(1, min(settings.http_max_connections, spare)),
    }


@click.command()
@click.option("--concurrency", type=int, help="Engine processes (default: FORGE402_ENGINE_WORKERS, one per CPU).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR.")
@click.option("--log-level", default="info", show_default=True)
def worker(concurrency: int | None, data_dir: Path | None, log_level: str) -> None:
    """Build models (engine jobs, operator-key provider jobs) and deliver webhooks, without HTTP. SIGTERM drains:
    no new job is taken, running ones finish (FORGE402_DRAIN_SECONDS), the rest goes back to the queue."""
    settings = settings_or_exit(data_dir)
    if concurrency is not None and concurrency < 1:
        click.echo("forge402: --concurrency must be at least 1", err=True)
        sys.exit(EXIT_INPUT)
    check_store_or_exit(settings)
    configure(log_level, settings.log_format)
    migrate_or_exit(settings)
    asyncio.run(_work(settings, concurrency))


async def _work(settings: Settings, concurrency: int | None) -> None:
    from app.node import start_node, stop_node

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    node = await start_node(settings, engine_slots=concurrency, webhooks=True, paid=False)
    svc = node.services
    log.info(
        "forge402 worker: %d engine processes on the %s store, files in %s",
        svc.runner.slots, svc.store.kind, svc.files.spec.describe(),
    )  # fmt: skip
    try:
        await stop.wait()
        log.info("forge402 worker: draining")
    finally:
        await stop_node(node, drain=True)


@click.command()
@click.option(
    "--from-sqlite",
    "from_sqlite",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Copy this single-machine database (forge402.db) into FORGE402_DATABASE_URL; safe to run again.",
)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR.")
def migrate(from_sqlite: Path | None, data_dir: Path | None) -> None:
    """Apply pending schema migrations (serve and worker also do at start)."""
    settings = settings_or_exit(data_dir)
    migrate_or_exit(settings, verbose=True)
    if from_sqlite is not None:
        if settings.database is None:
            click.echo("forge402: --from-sqlite needs FORGE402_DATABASE_URL (the PostgreSQL to copy into)", err=True)
            sys.exit(EXIT_INPUT)
        from app.store.transfer import copy_sqlite_to_postgres

        copied = asyncio.run(copy_sqlite_to_postgres(from_sqlite, settings.database))
        for table, (read, added) in copied.items():
            click.echo(f"{table}: {read} rows read, {added} new", err=True)


def migrate_or_exit(settings: Settings, verbose: bool = False) -> None:
    """Migrate the database once; a schema newer than this release, or a database out of reach, is one clear line."""
    from app.errors import StoreUnavailable
    from app.node import migrate as run_migrations
    from payments.ledger.migrations import SchemaTooNew

    try:
        applied = asyncio.run(run_migrations(settings))
    except SchemaTooNew as exc:
        click.echo(f"forge402: refusing to start: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except StoreUnavailable as exc:
        click.echo(f"forge402: the database cannot be reached: {exc.message}", err=True)
        sys.exit(EXIT_SERVER)
    for step in applied:
        line = f"{step.component} schema at version {step.after} (was {step.before})"
        if verbose:
            click.echo(f"forge402: {line}", err=True)
        elif step.after != step.before:
            log.info(line)  # a serving process: a log line like its others


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
