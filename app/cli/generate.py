"""`forge402 generate` and `forge402 batch`: a server's free lane from the terminal, with a progress bar."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from app.cli.client import DEFAULT_SERVER, ForgeClient, ForgeClientError, Progress
from app.cli.exits import EXIT_FAILED, EXIT_INPUT, EXIT_RATE_LIMITED, EXIT_SERVER

STEP_LABELS = {None: "queued", "image": "reading input", "mesh": "building mesh", "finish": "finishing"}


def exit_code(exc: ForgeClientError) -> int:
    if exc.status == 429:
        return EXIT_RATE_LIMITED
    if exc.status is not None and 400 <= exc.status < 500:
        return EXIT_INPUT
    if exc.status is None and exc.code != "unreachable":
        return EXIT_FAILED
    return EXIT_SERVER


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


@click.command()
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
        sys.exit(exit_code(exc))
    if bar:
        bar.close()
    click.echo(f"saved {out} ({job.get('tier')}, recipe {job.get('recipe')}, {job.get('faces')} faces)")


@click.command()
@click.argument("prompts_file", type=click.File("r"))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--tier", type=click.Choice(["draft", "standard", "high"]), default="standard", show_default=True)
@click.option(
    "--server", default=lambda: os.environ.get("FORGE402_SERVER", DEFAULT_SERVER), show_default=DEFAULT_SERVER
)
def batch(prompts_file: click.utils.LazyFile, out_dir: Path, tier: str, server: str) -> None:
    """Generate one model per line of PROMPTS_FILE, one after the other (waiting out rate limits and a busy server)."""
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
                    on_wait=say_wait,
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


def say_wait(exc: ForgeClientError, seconds: float) -> None:
    why = "server busy" if exc.code == "busy" else "rate limited"
    click.echo(f"  {why}; waiting {seconds:.0f} s", err=True)


def slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "model"
