"""`forge402 serve` on the embedded default runs the paid lane on its own local devnet, and cleans it up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.gltf_validator import validate_glbs
from tests.live import ROOT, LiveServer, child_pid, devnet_port, wait_gone
from tests.paid import PAID, decode

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

DEVNET_ON = {"FORGE402_DEVNET": "1"}


def test_default_serve_sells_on_its_devnet_and_the_demo_agent_buys(tmp_path: Path) -> None:
    with LiveServer(tmp_path, DEVNET_ON) as live:
        devnet = json.loads((tmp_path / "devnet.json").read_text())["evm"]
        assert devnet["network"] == "eip155:84532" and len(devnet["payers"]) >= 1
        assert (tmp_path / "devnet.json").stat().st_mode & 0o077 == 0
        offer = decode(httpx.post(live.url + PAID).headers["payment-required"])["accepts"][0]
        assert offer["payTo"].lower() == devnet["pay_to"].lower()
        out = tmp_path / "agent.glb"
        agent = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "demo_agent.py"), "--server", live.url, "--data-dir",
             str(tmp_path), "--prompt", "a brass lantern", "--tier", "draft", "-o", str(out)],
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        assert agent.returncode == 0, agent.stdout + agent.stderr
        assert validate_glbs([out])[out]["errors"] == 0
        pid = child_pid(f"anvil.*--port {devnet_port(tmp_path, 'evm')}")
    wait_gone(pid)


def test_the_devnet_dies_with_a_killed_service(tmp_path: Path) -> None:
    live = LiveServer(tmp_path, DEVNET_ON).start()
    pid = child_pid(f"anvil.*--port {devnet_port(tmp_path, 'evm')}")
    assert live.proc is not None
    os.kill(live.proc.pid, signal.SIGKILL)  # the service alone, not its process group
    try:
        wait_gone(pid)
    finally:
        live.kill()
