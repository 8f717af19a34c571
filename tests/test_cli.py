"""The `forge402` command line against a real server: generate, batch (waiting out 429s), exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import ROOT, LiveServer, free_port

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL


def forge402(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_generate_saves_a_glb(live_server: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "chest.glb"
    result = forge402(
        "generate",
        "a low-poly treasure chest, iron-banded wood",
        "--tier",
        "draft",
        "-o",
        str(out),
        "--server",
        live_server.url,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:4] == b"glTF"
    assert "recipe chest" in result.stdout
    assert "done" in result.stderr  # the progress bar's last label


def test_generate_bad_input_and_no_server(tmp_path: Path, live_server: LiveServer) -> None:
    refused = forge402("generate", "ab", "--server", live_server.url, "-o", str(tmp_path / "x.glb"))
    assert refused.returncode == 2 and "prompt" in refused.stderr
    unreachable = forge402("generate", "a teapot", "--server", f"http://127.0.0.1:{free_port()}")
    assert unreachable.returncode == 3 and "Cannot reach" in unreachable.stderr


def test_batch_runs_sequentially_and_waits_out_rate_limits(tmp_path: Path) -> None:
    env = {
        # one per 3 s window: the second submission lands in the first one's window (unless it straddles a
        # boundary), and every one after a wait starts a new window, so the waits are certain to happen
        "FORGE402_RATE_LIMIT_GENERATE": "1",
        "FORGE402_RATE_LIMIT_WINDOW_SECONDS": "3",
    }
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a wooden barrel\n# a comment\n\na red potion\na mushroom\na stone well\n")
    with LiveServer(tmp_path / "data", env) as live:
        result = forge402(
            "batch", str(prompts), "--out-dir", str(tmp_path / "out"), "--tier", "draft", "--server", live.url
        )
    assert result.returncode == 0, result.stderr
    saved = sorted(p.name for p in (tmp_path / "out").glob("*.glb"))
    assert saved == ["001-a-wooden-barrel.glb", "002-a-red-potion.glb", "003-a-mushroom.glb", "004-a-stone-well.glb"]
    assert "rate limited; waiting" in result.stderr
    assert "4 of 4 models saved" in result.stdout


PAY_TO = "0x7B671bF26E8f95Ee1b77708b4C520f95b0f0abB2"
KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"


def serve_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "FORGE402_DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(free_port())],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_serve_refuses_bad_payment_configuration_naming_the_variable_never_the_key(tmp_path: Path) -> None:
    short_key = "0x" + "ab" * 20
    result = serve_with(
        tmp_path, FORGE402_EVM_RPC_URL="http://127.0.0.1:1", FORGE402_EVM_PAY_TO=PAY_TO,
        FORGE402_EVM_FACILITATOR_KEY=short_key,
    )  # fmt: skip
    assert result.returncode == 2
    assert "FORGE402_EVM_FACILITATOR_KEY" in result.stderr and short_key not in result.stderr + result.stdout
    missing = serve_with(tmp_path, FORGE402_EVM_RPC_URL="http://127.0.0.1:1")
    assert missing.returncode == 2 and "FORGE402_EVM_PAY_TO" in missing.stderr


def test_serve_says_in_one_line_when_the_chain_is_unreachable(tmp_path: Path) -> None:
    result = serve_with(
        tmp_path, FORGE402_EVM_RPC_URL=f"http://127.0.0.1:{free_port()}", FORGE402_EVM_PAY_TO=PAY_TO,
        FORGE402_EVM_FACILITATOR_KEY=KEY,
    )  # fmt: skip
    assert result.returncode == 2
    assert "the paid lane cannot start" in result.stderr and "Traceback" not in result.stderr
    assert KEY[2:] not in result.stderr
