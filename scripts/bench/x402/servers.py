"""The servers under test (forge402 through the tests' LiveServer, the official stacks through their ServerProcess),
each on a fresh local chain, stopped only through their own process. The official stacks are installed here, into
the git-ignored .bench/: the TypeScript one by npm ci, the Python one into a venv of its own."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.devnet.anvil import AnvilProcess, EvmDevnet, provision
from app.devnet.litesvm import SvmDevnet, SvmDevnetProcess, describe
from app.devnet.processes import free_port
from scripts.bench.x402.knobs import (
    BENCH_SRC,
    LOG_DIR,
    PEER_DIR,
    PEER_FILES,
    PY_PEER_DIR,
    SERVER_CPU,
    START_TIMEOUT_S,
    STOP_GRACE_S,
    WORK_DIR,
    Knobs,
)
from scripts.bench.x402.stats import log
from tests.live import LiveServer, ServerProcess, clean_environment

PRICE_ATOMICS = "50000"  # the draft tier: what forge402 charges for the benchmark's body


def ensure_reference_installed() -> None:
    """npm ci the pinned reference stack into .bench/peer once per lock file (stamped), then copy the peer in.

    The peer script runs from .bench/peer so that Node resolves its packages there and never the project's own.
    """
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(b"".join((BENCH_SRC / name).read_bytes() for name in PEER_FILES)).hexdigest()
    stamp = PEER_DIR / ".installed"
    if not (stamp.exists() and stamp.read_text() == digest and (PEER_DIR / "node_modules").is_dir()):
        for name in PEER_FILES:
            shutil.copyfile(BENCH_SRC / name, PEER_DIR / name)
        log("installing the reference stack (npm ci) into .bench/peer")
        subprocess.run(["npm", "ci", "--prefix", str(PEER_DIR), "--no-audit", "--no-fund"], check=True)
        stamp.write_text(digest)
    shutil.copyfile(BENCH_SRC / "reference_peer.mjs", PEER_DIR / "reference_peer.mjs")


def ensure_python_peer_installed() -> None:
    """A venv in .bench/peer-py with the official Python stack (scripts/bench/peer_requirements.txt, under the
    project's constraints.txt), made once per requirements file (stamped)."""
    requirements = BENCH_SRC / "peer_requirements.txt"
    constraints = BENCH_SRC.parent.parent / "constraints.txt"
    digest = hashlib.sha256(requirements.read_bytes() + constraints.read_bytes()).hexdigest()
    stamp = PY_PEER_DIR / ".installed"
    python = PY_PEER_DIR / "bin" / "python"
    if not (stamp.exists() and stamp.read_text() == digest and python.exists()):
        log("installing the official Python stack (x402[fastapi]) into .bench/peer-py")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(PY_PEER_DIR)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(requirements), "-c", str(constraints)], check=True)
        stamp.write_text(digest)
    shutil.copyfile(BENCH_SRC / "peer_fastapi.py", PY_PEER_DIR / "peer_fastapi.py")


def forge402_server(
    knobs: Knobs, data_dir: Path, chain_env: dict[str, str], log_path: Path, extra: dict[str, str] | None = None
) -> ServerProcess:
    """forge402 as the tests run it (tests.live.LiveServer), selling on the chain `chain_env` points at."""
    env = {
        **chain_env,
        **(extra or {}),
        "FORGE402_ENGINE_WORKERS": str(knobs.engine_workers),
        # a batch pays ~220 Solana fees in well under a minute: past the default fee budget (2,000,000 lamports a
        # minute, ~200 payments) the lane would answer 503 and the bench would measure the budget, not the server
        "FORGE402_SVM_FEE_BUDGET_LAMPORTS_PER_MINUTE": str(10**9),
    }
    return LiveServer(data_dir, env, cpus=pinned(knobs), log_path=log_path)


def official_server(name: str, knobs: Knobs, devnet: EvmDevnet, log_path: Path) -> ServerProcess:
    """An official stack on the same terms as forge402: express + @x402/express (with or without viem's
    nonceManager), or FastAPI + the Python SDK's middleware with coincurve; each with an in-process facilitator."""
    port = free_port()
    env = {
        "PORT": str(port),
        "RPC_URL": devnet.rpc_url,
        "PAY_TO": devnet.pay_to,
        "FACILITATOR_KEY": devnet.facilitator_private_key,
        "USDC": devnet.usdc,
        "NETWORK": devnet.network,
        "PRICE_ATOMIC": PRICE_ATOMICS,
    }
    if name == "fastapi-coincurve":
        env["ECC_BACKEND_CLASS"] = "eth_keys.backends.CoinCurveECCBackend"
        command = [str(PY_PEER_DIR / "bin" / "python"), str(PY_PEER_DIR / "peer_fastapi.py")]
    else:
        env |= {"NODE_ENV": "production", "VIEM_NONCE_MANAGER": "1" if name == "express-noncemanager" else "0"}
        command = ["node", str(PEER_DIR / "reference_peer.mjs")]
    return ServerProcess(command, clean_environment(env), log_path, name=name, cpus=pinned(knobs), port=port)


def pinned(knobs: Knobs) -> set[int] | None:
    return {SERVER_CPU} if knobs.pin_cpus else None


async def started(server: ServerProcess) -> ServerProcess:
    """Start `server` (its health wait blocks, so off the event loop)."""
    return await asyncio.to_thread(server.start, START_TIMEOUT_S)


async def stopped(server: ServerProcess) -> None:
    await asyncio.to_thread(server.stop, STOP_GRACE_S)


@contextlib.contextmanager
def data_dir_for(label: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"{label}-", dir=WORK_DIR, ignore_cleanup_errors=True) as data_dir:
        yield Path(data_dir)


@dataclass
class Session:
    name: str
    devnet: EvmDevnet
    server: ServerProcess
    anvil_log: Path  # anvil logs each JSON-RPC method it serves: the calls a paid request makes are counted there


@contextlib.asynccontextmanager
async def fresh_session(
    name: str, knobs: Knobs, label: str, extra: dict[str, str] | None = None
) -> AsyncIterator[Session]:
    """A fresh anvil, provisioned, and a freshly started server on it (forge402 with `extra` settings); both stopped
    on exit."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    anvil_log = LOG_DIR / f"{label}-anvil.log"
    anvil = await AnvilProcess.start(log_path=anvil_log)
    try:
        devnet = await provision(anvil.rpc_url, payers=1)
        with data_dir_for(label) as data_dir:
            log_path = LOG_DIR / f"{label}-server.log"
            if name == "forge402":
                server = forge402_server(knobs, data_dir, devnet.service_env(), log_path, extra)
            else:
                server = official_server(name, knobs, devnet, log_path)
            await started(server)
            try:
                yield Session(name, devnet, server, anvil_log)
            finally:
                await stopped(server)
    finally:
        await anvil.stop()


@dataclass
class SvmSession:
    devnet: SvmDevnet
    server: ServerProcess


@contextlib.asynccontextmanager
async def fresh_svm_session(knobs: Knobs, label: str) -> AsyncIterator[SvmSession]:
    """A fresh Solana devnet (provisioned by its own process: one funded payer, a fee payer with SOL, an empty
    payTo token account) and a freshly started forge402 selling on it alone; both stopped on exit."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    chain = await SvmDevnetProcess.start(log_path=LOG_DIR / f"{label}-svm.log", payers=1, slot_ms=knobs.svm_slot_ms)
    try:
        devnet = describe(chain.rpc_url, payers=1)
        with data_dir_for(label) as data_dir:
            server = forge402_server(knobs, data_dir, devnet.service_env(), LOG_DIR / f"{label}-server.log")
            await started(server)
            try:
                yield SvmSession(devnet, server)
            finally:
                await stopped(server)
    finally:
        await chain.stop()
