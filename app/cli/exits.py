"""How the CLI ends: its exit codes, and reading the configuration (one clear line per problem, never a value)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import click
from pydantic import ValidationError

from app.config import Settings

EXIT_FAILED = 1  # the job ran and failed
EXIT_INPUT = 2  # the request was refused (bad input) — also click's usage errors
EXIT_SERVER = 3  # no server, or it broke
EXIT_RATE_LIMITED = 4


def settings_or_exit(data_dir: Path | None = None) -> Settings:
    """The settings from the environment (`data_dir` overrides FORGE402_DATA_DIR, for child processes too)."""
    if data_dir is not None:
        os.environ["FORGE402_DATA_DIR"] = str(data_dir)
    try:
        return Settings()
    except ValidationError as exc:
        click.echo(f"forge402: invalid configuration:\n{config_problems(exc)}", err=True)
        sys.exit(EXIT_INPUT)


def config_problems(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        name = "FORGE402_" + "_".join(str(p) for p in error["loc"]).upper()
        lines.append(f"  {name}: {error['msg']}")  # the message, never the value (it may be a key)
    return "\n".join(lines)


def check_store_or_exit(settings: Settings) -> None:
    """Reach the file store once before serving: a missing bucket or refused credentials are one clear line and exit
    2; a store that does not answer yet is said, and the service starts anyway (file reads answer 503 until it
    does). Every process that serves or builds jobs calls this at start (`serve`, a worker)."""
    from app.store.blobs import BlobStoreMisconfigured, BlobStoreUnavailable, open_blob_store

    spec = settings.blob_spec
    try:
        asyncio.run(open_blob_store(spec).check())
    except BlobStoreMisconfigured as exc:
        click.echo(f"forge402: file storage cannot start: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except BlobStoreUnavailable as exc:
        click.echo(f"forge402: file storage ({spec.describe()}) is unreachable for now ({exc.detail})", err=True)
