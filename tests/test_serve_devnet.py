"""`forge402 serve` on the embedded default runs the paid lane on its own local devnet, and cleans it up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.gltf_validator import validate_glbs
from tests.live import ROOT, LiveServer
from tests.paid import PAID, decode

DEVNET_ON = {"FORGE402_DEVNET": "1", "FORGE402_RATE_LIMIT_GENERATE": "0", "FORGE402_RATE_LIMIT_POLL": "0"}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def anvil_pid(data_dir: Path) -> int:
    rpc_port = json.loads((data_dir / "devnet.json").read_text())["evm"]["rpc_url"].rsplit(":", 1)[1]
    out = subprocess.run(["pgrep", "-f", f"anvil.*--port {rpc_port}"], capture_output=True, text=True, check=False)
    pids = [int(p) for p in out.stdout.split()]
    assert len(pids) == 1, out.stdout
    return pids[0]


def wait_gone(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while alive(pid):
        assert time.monotonic() < deadline, f"process {pid} outlived the service"
        time.sleep(0.05)


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
        pid = anvil_pid(tmp_path)
    wait_gone(pid)


def test_the_devnet_dies_with_a_killed_service(tmp_path: Path) -> None:
    live = LiveServer(tmp_path, DEVNET_ON).start()
    pid = anvil_pid(tmp_path)
    assert live.proc is not None
    os.kill(live.proc.pid, signal.SIGKILL)  # the service alone, not its process group
    try:
        wait_gone(pid)
    finally:
        live.kill()
