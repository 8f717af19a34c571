"""`forge402` command line: run the service, or use one from the terminal (generate, batch)."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from pydantic import ValidationError

from app.client import DEFAULT_SERVER, ForgeClient, ForgeClientError, Progress
from app.config import Settings

if TYPE_CHECKING:
    from app.devnet.evm import AnvilProcess
    from app.devnet.svm import SvmDevnetProcess

EXIT_FAILED = 1  # the job ran and failed
EXIT_INPUT = 2  # the request was refused (bad input) — also click's usage errors
EXIT_SERVER = 3  # no server, or it broke
EXIT_RATE_LIMITED = 4

STEP_LABELS = {None: "queued", "image": "reading input", "mesh": "building mesh", "finish": "finishing"}


def _exit_code(exc: ForgeClientError) -> int:
    if exc.status == 429:
        return EXIT_RATE_LIMITED
    if exc.status is not None and 400 <= exc.status < 500:
        return EXIT_INPUT
    if exc.status is None and exc.code != "unreachable":
        return EXIT_FAILED
    return EXIT_SERVER


def slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "model"


@click.group()
@click.version_option(package_name="forge402")
def main() -> None:
    """forge402: prompt in, GLB out — a free lane and an x402 paid twin."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8402, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="HTTP worker processes.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR.")
@click.option("--log-level", default="info", show_default=True)
def serve(host: str, port: int, workers: int, data_dir: Path | None, log_level: str) -> None:
    """Run the service (embedded default: SQLite, local files, built-in engine, a local devnet for the paid lane)."""
    import uvicorn

    if data_dir is not None:
        os.environ["FORGE402_DATA_DIR"] = str(data_dir)
    settings = _settings_or_exit()
    if settings.paid_lane_configured:
        _check_chains_or_exit(settings)
    devnets = _start_devnets(settings) if settings.devnet and not settings.paid_lane_configured else []
    click.echo(f"forge402 serving on http://{host}:{port} (data: {settings.data_dir.resolve()})", err=True)
    try:
        uvicorn.run(
            "app.application:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            timeout_graceful_shutdown=5,
            proxy_headers=False,  # X-Forwarded-For is judged by app.http.clientip against FORGE402_TRUSTED_PROXIES
            server_header=False,
        )
    finally:
        for devnet in devnets:
            asyncio.run(devnet.stop())


def _check_chains_or_exit(settings: Settings) -> None:
    """Reach every configured chain once before serving: a wrong RPC URL or chain is one clear line, not a
    traceback from each worker."""
    from app.paid.gateway import check_chains
    from payments.gateway import ConfigurationError

    try:
        asyncio.run(check_chains(settings))
    except ConfigurationError as exc:
        click.echo(f"forge402: the paid lane cannot start: {exc}", err=True)
        sys.exit(EXIT_INPUT)


def _settings_or_exit() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        click.echo(f"forge402: invalid configuration:\n{_config_problems(exc)}", err=True)
        sys.exit(EXIT_INPUT)


def _start_devnets(settings: Settings) -> list[AnvilProcess | SvmDevnetProcess]:
    """Both local chains (Base on anvil, Solana on LiteSVM), each our child; a chain that fails to start is off."""
    return [p for p in (_start_devnet(settings), _start_svm_devnet(settings)) if p is not None]


def _start_svm_devnet(settings: Settings) -> SvmDevnetProcess | None:
    """Start the local Solana devnet (LiteSVM) as our child and point the Solana paid lane at it (main thread, like
    anvil: the child dies with the thread that started it; the workers learn it from the environment)."""
    from app.devnet.evm import DevnetError
    from app.devnet.svm import start_svm_devnet

    try:
        child, devnet = asyncio.run(start_svm_devnet(settings.data_dir))
    except DevnetError as exc:
        click.echo(f"forge402: the local Solana devnet did not start ({exc}); Solana payments are off.", err=True)
        return None
    os.environ.update(devnet.service_env())
    click.echo(f"forge402: local Solana devnet at {devnet.rpc_url} (LiteSVM)", err=True)
    return child


def _start_devnet(settings: Settings) -> AnvilProcess | None:
    """Start the local Base devnet (anvil + test USDC) as our child and point the paid lane at it.

    Started from the main thread on purpose: anvil is told to die with the thread that started it, and the HTTP
    workers (also children) learn the chain from the environment."""
    from app.devnet.evm import DevnetError, start_evm_devnet

    try:
        anvil, devnet = asyncio.run(start_evm_devnet(settings.data_dir))
    except DevnetError as exc:
        click.echo(f"forge402: the local devnet did not start ({exc}); the paid lane is off.", err=True)
        return None
    os.environ.update(devnet.service_env())
    click.echo(
        f"forge402: local devnet {devnet.network} at {devnet.rpc_url}, demo payers in "
        f"{settings.data_dir / 'devnet.json'}",
        err=True,
    )
    return anvil


@main.command()
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR.")
@click.option("--port", type=int, default=None, help="anvil's port (default: a free one).")
@click.option("--svm-port", type=int, default=None, help="the Solana devnet's port (default: a free one).")
def devnet(data_dir: Path | None, port: int | None, svm_port: int | None) -> None:
    """Run the local devnets alone (anvil + test USDC, LiteSVM Solana + USDC, funded demo payers) until Ctrl-C;
    writes devnet.json."""
    from app.devnet.evm import main as run_devnet
    from app.devnet.svm import start_svm_devnet

    if data_dir is not None:
        os.environ["FORGE402_DATA_DIR"] = str(data_dir)
    settings = _settings_or_exit()
    solana, described = asyncio.run(start_svm_devnet(settings.data_dir, svm_port))
    click.echo(f"solana devnet {described.rpc_url} (pid {solana.pid})", err=True)
    args = ["--data-dir", str(settings.data_dir)] + (["--port", str(port)] if port else [])
    try:
        code = run_devnet(args)
    finally:
        asyncio.run(solana.stop())
    sys.exit(code)


def _config_problems(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        name = "FORGE402_" + "_".join(str(p) for p in error["loc"]).upper()
        lines.append(f"  {name}: {error['msg']}")  # the message, never the value (it may be a key)
    return "\n".join(lines)


class _Bar:
    """A one-line progress bar showing the job's step."""

    def __init__(self) -> None:
        self._bar = click.progressbar(length=100, label="queued".ljust(15), show_eta=False, file=sys.stderr)
        self._bar.__enter__()
        self._shown = 0

    def __call__(self, p: Progress) -> None:
        self._bar.label = STEP_LABELS.get(p.step, p.step or "").ljust(15) if p.status != "done" else "done".ljust(15)
        target = 100 if p.status == "done" else p.progress
        if target > self._shown:
            self._bar.update(target - self._shown)
            self._shown = target
        else:
            self._bar.render_progress()

    def close(self) -> None:
        self._bar.__exit__(None, None, None)


@main.command()
@click.argument("prompt", required=False)
@click.option(
    "--image",
    "images",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A photo (PNG/JPEG/WebP) instead of a prompt; repeat for 2–4 views in the order front, right, back, top.",
)
@click.option("--skip-validation", is_flag=True, help="Generate even if the photo pre-check objects.")
@click.option("--tier", type=click.Choice(["draft", "standard", "high"]), default="standard", show_default=True)
@click.option("--seed", type=int, help="Same prompt, tier and seed give the same model.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="GLB file to write.")
@click.option(
    "--server", default=lambda: os.environ.get("FORGE402_SERVER", DEFAULT_SERVER), show_default=DEFAULT_SERVER
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def generate(
    prompt: str | None,
    images: tuple[Path, ...],
    skip_validation: bool,
    tier: str,
    seed: int | None,
    output: Path | None,
    server: str,
    quiet: bool,
) -> None:
    """Generate one model from PROMPT (or from photos: --image front.jpg [--image side.jpg ...]) and save the GLB."""
    if not prompt and not images:
        raise click.UsageError("give a PROMPT, or one to four --image files")
    if len(images) > 4:
        raise click.UsageError("at most four --image files (front, right, back, top)")
    out = output or Path(f"{slug(prompt or images[0].stem)}.glb")
    body: dict[str, object] = {"tier": tier} | ({"prompt": prompt} if prompt and not images else {})
    if seed is not None:
        body["seed"] = seed
    if skip_validation:
        body["skip_validation"] = True
    bar = None if quiet else _Bar()
    try:
        with ForgeClient(server) as client:
            if images:
                body["image_urls"] = [client.upload(path) for path in images]
            job = client.generate(body, out, on_progress=bar)
    except ForgeClientError as exc:
        if bar:
            bar.close()
        click.echo(f"error: {exc.message} ({exc.code})", err=True)
        sys.exit(_exit_code(exc))
    if bar:
        bar.close()
    click.echo(f"saved {out} ({job.get('tier')}, recipe {job.get('recipe')}, {job.get('faces')} faces)")


@main.command()
@click.argument("prompts_file", type=click.File("r"))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--tier", type=click.Choice(["draft", "standard", "high"]), default="standard", show_default=True)
@click.option(
    "--server", default=lambda: os.environ.get("FORGE402_SERVER", DEFAULT_SERVER), show_default=DEFAULT_SERVER
)
def batch(prompts_file: click.utils.LazyFile, out_dir: Path, tier: str, server: str) -> None:
    """Generate one model per line of PROMPTS_FILE, one after the other (waiting out rate limits)."""
    prompts = [line.strip() for line in prompts_file if line.strip() and not line.lstrip().startswith("#")]
    failures = 0
    with ForgeClient(server) as client:
        for index, prompt in enumerate(prompts, 1):
            out = out_dir / f"{index:03d}-{slug(prompt)}.glb"
            try:
                client.generate(
                    {"prompt": prompt, "tier": tier},
                    out,
                    rate_limit_waits=100,
                    on_wait=lambda s: click.echo(f"  rate limited; waiting {s:.0f} s", err=True),
                )
            except ForgeClientError as exc:
                failures += 1
                click.echo(f"[{index}/{len(prompts)}] FAILED {prompt!r}: {exc.message}", err=True)
                if exc.code == "unreachable":
                    sys.exit(EXIT_SERVER)
                continue
            click.echo(f"[{index}/{len(prompts)}] {out}")
    click.echo(f"{len(prompts) - failures} of {len(prompts)} models saved in {out_dir}")
    sys.exit(EXIT_FAILED if failures else 0)


if __name__ == "__main__":
    main()
