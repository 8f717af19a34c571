"""Benchmark forge402's paid lane against the official x402 reference server, side by side, in one run.

Both servers answer `POST /api/x402/forge` at $0.05 (the draft tier, 50000 atomics of a 6-decimals EIP-3009 USDC)
on `eip155:84532`, served by a local anvil that app.devnet.evm provisions. The reference is the official
TypeScript stack, installed here from scripts/bench/ (express 5 + @x402/express paymentMiddleware +
x402ResourceServer + an in-process x402Facilitator with the @x402/evm exact scheme on a viem wallet client that
has viem's nonceManager).

Per server:
  * unpaid 402/s: POST without payment at c=32 for N s (wrk with scripts/bench/post.lua when on PATH, else an
    asyncio HTTP/1.1 keep-alive client), req/s and p50/p99;
  * paid calls/s and p50/p99 at c=1 and c=8: payments pre-signed with the official Python client (x402Client +
    the EVM exact scheme on an eth_account signer) outside the timed window; success = 2xx with a PAYMENT-RESPONSE
    whose `success` is true. Each paid batch runs on a fresh anvil and a freshly started server, after a warm-up,
    and is checked on chain: payTo's balance delta == successes x price, every success's nonce used, no failure's.

Solana (forge402 only: there is no reference x402 server for Solana to set beside it): paid calls/s and p50/p99 at
c=1 and c=8 on the local LiteSVM devnet (app.devnet.svm, Solana devnet's genesis and USDC mint), forge402 configured
for Solana alone (FORGE402_SVM_*; its paid lane does not need Base). Each batch runs on a fresh devnet and a freshly
started server; the payments (app.devnet.svm_payments: what @x402/svm's client builds, the payer's signature only)
are signed just before the warm-up and again just before the timed batch, outside the timed window, because a
blockhash lives 150 blocks (~60 s at the devnet's 0.4 s slots). Success is as on Base. Checked on chain after
each batch: payTo's USDC delta == successes x price == the payer's USDC debit, every success's transaction landed
without error (distinct signatures), the payer's SOL untouched, and the fee payer's SOL went down by exactly the
fees of those transactions (reported as lamports per paid call).

Each of --reps rounds gives every server (interleaved, in alternating order) one unpaid run and one paid batch per
concurrency, each on a fresh anvil + server, then forge402 one Solana paid batch per concurrency. Medians over the
rounds go to bench-results/x402.json with the ratios forge402/reference (Base), versions and machine info. The
server under test is pinned to CPU 0, the driver, anvil and the Solana devnet to CPU 1 (when there are 2 CPUs).

    .venv/bin/python scripts/bench_x402.py                       # both servers and chains, 5 rounds (~5 min)
    .venv/bin/python scripts/bench_x402.py --quick               # smoke run (~40 s)
    .venv/bin/python scripts/bench_x402.py --servers reference   # one server (Base only: Solana is forge402's)
    .venv/bin/python scripts/bench_x402.py --chains solana       # forge402 on Solana only
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import importlib.metadata
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from eth_account import Account
from x402 import x402Client
from x402.http import PAYMENT_SIGNATURE_HEADER, decode_payment_required_header, encode_payment_signature_header
from x402.mechanisms.evm import EthAccountSigner
from x402.mechanisms.evm.exact.register import register_exact_evm_client
from x402.schemas import PaymentRequired

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.devnet.children import devnet_rpc, free_port  # noqa: E402
from app.devnet.evm import ANVIL_BIN, AnvilProcess, EvmDevnet, provision, usdc_balance  # noqa: E402
from app.devnet.svm import SvmDevnet, SvmDevnetProcess, describe, token_account, token_amount  # noqa: E402
from app.devnet.svm_payments import sign_svm_payments  # noqa: E402
from payments.eip3009 import authorization_state_calldata  # noqa: E402

BENCH_SRC = ROOT / "scripts" / "bench"
WORK_DIR = ROOT / ".bench"
PEER_DIR = WORK_DIR / "peer"
LOG_DIR = WORK_DIR / "logs"
DEFAULT_OUTPUT = ROOT / "bench-results" / "x402.json"

ROUTE = "/api/x402/forge"
BODY = b'{"prompt": "a wooden crate", "tier": "draft"}'
HOST = "127.0.0.1"
SERVERS = ("forge402", "reference")
CHAINS = ("base", "solana")
SOLANA_SERVERS = ("forge402",)  # no reference x402 server exists for Solana
PEER_FILES = ("package.json", "package-lock.json")
PEER_PACKAGES = ("express", "@x402/express", "@x402/core", "@x402/evm", "viem")
PY_PACKAGES = (
    "forge402",
    "x402",
    "web3",
    "eth-account",
    "coincurve",
    "solders",
    "httpx",
    "starlette",
    "uvicorn",
    "uvloop",
)

SERVER_CPU = 0
DRIVER_CPU = 1
START_TIMEOUT_S = 90.0
STOP_GRACE_S = 10.0
REQUEST_TIMEOUT_S = 60.0
PAID_BATCH_MAX_S = 180.0
TARGET_PAID_P50_MS = 30.0
UNPAID_KEYS = ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_request")
PAID_KEYS = ("paid_per_s", "p50_ms", "p99_ms", "server_cpu_ms_per_paid")
SVM_SLOT_MS = 400  # the devnet's default, mainnet's pace

T = TypeVar("T")


# --- knobs ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Knobs:
    servers: tuple[str, ...]
    chains: tuple[str, ...]
    reps: int
    unpaid_seconds: float
    unpaid_concurrency: int
    paid_n: int
    paid_warmup: int
    paid_concurrency: tuple[int, ...]
    use_wrk: bool
    pin_cpus: bool
    engine_workers: int
    svm_slot_ms: int
    output: Path

    @property
    def solana_servers(self) -> tuple[str, ...]:
        return tuple(s for s in self.servers if s in SOLANA_SERVERS) if "solana" in self.chains else ()


def parse_knobs(argv: Sequence[str] | None) -> Knobs:
    """Flags, with BENCH_X402_* environment variables as defaults; --quick shrinks everything for a smoke run."""
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", default=env("BENCH_X402_SERVERS", ",".join(SERVERS)))
    parser.add_argument(
        "--chains", default=env("BENCH_X402_CHAINS", ",".join(CHAINS)), help="base, solana or both (default)"
    )
    parser.add_argument("--quick", action="store_true", default=env("BENCH_X402_QUICK") == "1")
    parser.add_argument("--reps", type=int, default=None, help="rounds, i.e. runs per metric (default 5; --quick 1)")
    parser.add_argument("--unpaid-seconds", type=float, default=None, help="per unpaid run (default 5; --quick 2)")
    parser.add_argument("--paid-n", type=int, default=None, help="payments per paid batch (default 200; --quick 40)")
    parser.add_argument("--paid-warmup", type=int, default=None, help="untimed payments first (default 20; --quick 8)")
    parser.add_argument("--no-wrk", action="store_true", help="use the asyncio client even when wrk is on PATH")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server / driver to CPUs 0 / 1")
    parser.add_argument("--engine-workers", type=int, default=1, help="forge402's FORGE402_ENGINE_WORKERS")
    parser.add_argument("--svm-slot-ms", type=int, default=SVM_SLOT_MS, help="the Solana devnet's slot length")
    parser.add_argument("--output", type=Path, default=Path(env("BENCH_X402_OUTPUT", str(DEFAULT_OUTPUT))))
    args = parser.parse_args(argv)
    servers = tuple(s.strip() for s in args.servers.split(",") if s.strip())
    if not servers or any(s not in SERVERS for s in servers):
        parser.error(f"--servers takes a comma-separated subset of {','.join(SERVERS)}")
    chains = tuple(c.strip() for c in args.chains.split(",") if c.strip())
    if not chains or any(c not in CHAINS for c in chains):
        parser.error(f"--chains takes a comma-separated subset of {','.join(CHAINS)}")
    if chains == ("solana",) and not any(s in SOLANA_SERVERS for s in servers):
        parser.error("only forge402 is benched on Solana: add it to --servers")

    def pick(value: Any, name: str, full: Any, quick: Any, cast: Callable[[str], Any]) -> Any:
        if value is not None:
            return value
        return cast(env(name)) if env(name) else (quick if args.quick else full)

    return Knobs(
        servers=servers,
        chains=tuple(c for c in CHAINS if c in chains),
        reps=pick(args.reps, "BENCH_X402_REPS", 5, 1, int),
        unpaid_seconds=pick(args.unpaid_seconds, "BENCH_X402_UNPAID_S", 5.0, 2.0, float),
        unpaid_concurrency=32,
        paid_n=pick(args.paid_n, "BENCH_X402_PAID_N", 200, 40, int),
        paid_warmup=pick(args.paid_warmup, "BENCH_X402_PAID_WARMUP", 20, 8, int),
        paid_concurrency=(1, 8),
        use_wrk=not args.no_wrk and shutil.which("wrk") is not None,
        pin_cpus=not args.no_pin and (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity"),
        engine_workers=args.engine_workers,
        svm_slot_ms=args.svm_slot_ms,
        output=args.output,
    )


# --- small helpers -------------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of unsorted values; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered) / 100) - 1))
    return ordered[rank]


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def median_of(runs: Sequence[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return rounded(statistics.median(values)) if values else None


def process_cpu_seconds(pid: int) -> float | None:
    """user + system CPU time of one process (not its children), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def b64_json(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        return json.loads(base64.b64decode(value))
    except ValueError:
        return None


# --- a minimal HTTP/1.1 keep-alive client (light enough to share a core with anvil) ------------------------


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def build_post(port: int, path: str, body: bytes, extra: dict[str, str] | None = None) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}:{port}", "Content-Type: application/json"]
    lines += [f"Content-Length: {len(body)}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HttpConnection:
    """One keep-alive connection; reconnects after an error or a `Connection: close`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> HttpResponse:
        try:
            if self._writer is None:
                self._reader, self._writer = await asyncio.open_connection(HOST, self.port)
            self._writer.write(raw)
            response = await self._read_response()
        except BaseException:
            self.close()
            raise
        if response.headers.get("connection", "").lower() == "close":
            self.close()
        return response

    async def _read_response(self) -> HttpResponse:
        assert self._reader is not None
        head = (await self._reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._read_chunked()
        else:
            body = await self._reader.read()
            self.close()
        return HttpResponse(status, headers, body)

    async def _read_chunked(self) -> bytes:
        assert self._reader is not None
        parts = []
        while size := int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)
        await self._reader.readuntil(b"\r\n")  # no trailers expected
        return b"".join(parts)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


# --- the servers under test ----------------------------------------------------------------------------------


def server_env(extra: dict[str, str]) -> dict[str, str]:
    """The driver's environment without any FORGE402_* setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORGE402_")}
    return {**env, **extra}


def forge402_serve(
    port: int, data_dir: Path, knobs: Knobs, chain_env: dict[str, str]
) -> tuple[list[str], dict[str, str]]:
    python = ROOT / ".venv" / "bin" / "python"
    cmd = [str(python if python.exists() else sys.executable), "-m", "app.cli", "serve", "--host", HOST]
    env = {
        "FORGE402_DATA_DIR": str(data_dir),
        **chain_env,
        "FORGE402_RATE_LIMIT_GENERATE": "0",
        "FORGE402_RATE_LIMIT_POLL": "0",
        "FORGE402_ENGINE_WORKERS": str(knobs.engine_workers),
        # a batch pays ~220 Solana fees in well under a minute: past the default fee budget (2,000,000 lamports a
        # minute, ~200 payments) the lane would answer 503 and the bench would measure the budget, not the server
        "FORGE402_SVM_FEE_BUDGET_LAMPORTS_PER_MINUTE": str(10**9),
    }
    return [*cmd, "--port", str(port)], server_env(env)


def forge402_command(devnet: EvmDevnet, port: int, data_dir: Path, knobs: Knobs) -> tuple[list[str], dict[str, str]]:
    return forge402_serve(port, data_dir, knobs, devnet.service_env())


def forge402_svm_command(
    devnet: SvmDevnet, port: int, data_dir: Path, knobs: Knobs
) -> tuple[list[str], dict[str, str]]:
    """forge402 selling on Solana alone (an SVM RPC URL is enough for the paid lane; no Base, no devnet of its own)."""
    return forge402_serve(port, data_dir, knobs, devnet.service_env())


def reference_command(devnet: EvmDevnet, port: int, data_dir: Path, knobs: Knobs) -> tuple[list[str], dict[str, str]]:
    env = {
        "PORT": str(port),
        "RPC_URL": devnet.rpc_url,
        "PAY_TO": devnet.pay_to,
        "FACILITATOR_KEY": devnet.facilitator_private_key,
        "USDC": devnet.usdc,
        "NETWORK": devnet.network,
        "PRICE_ATOMIC": "50000",
        "NODE_ENV": "production",
    }
    return ["node", str(PEER_DIR / "reference_peer.mjs")], server_env(env)


COMMANDS: dict[str, Callable[[EvmDevnet, int, Path, Knobs], tuple[list[str], dict[str, str]]]] = {
    "forge402": forge402_command,
    "reference": reference_command,
}


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


class RunningServer:
    """A server under test, started by this script and stopped only through its own PID."""

    def __init__(self, name: str, proc: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
        self.name = name
        self.proc = proc
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.log_path = log_path

    @classmethod
    async def start(
        cls, name: str, command: Callable[[int], tuple[list[str], dict[str, str]]], knobs: Knobs, log_path: Path
    ) -> RunningServer:
        """Start `command(port)` on a free port and wait for /healthz."""
        port = free_port()
        cmd, env = command(port)
        pin = (lambda: os.sched_setaffinity(0, {SERVER_CPU})) if knobs.pin_cpus else None
        with log_path.open("ab") as out:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, preexec_fn=pin
            )
        server = cls(name, proc, port, log_path)
        try:
            await server._wait_healthy()
        except BaseException:
            await server.stop()
            raise
        return server

    async def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; log: {self.log_path}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{self.url}/healthz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} not healthy within {START_TIMEOUT_S:.0f} s; log: {self.log_path}")

    def cpu_seconds(self) -> float | None:
        return process_cpu_seconds(self.proc.pid)

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after a grace period; by this child's PID only."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None:
                return
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(sig)
            deadline = time.monotonic() + STOP_GRACE_S
            while self.proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)


@dataclass
class Session:
    name: str
    devnet: EvmDevnet
    server: RunningServer


@contextlib.asynccontextmanager
async def fresh_session(name: str, knobs: Knobs, label: str) -> AsyncIterator[Session]:
    """A fresh anvil, provisioned, and a freshly started server on it; both stopped on exit."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    anvil = await AnvilProcess.start(log_path=LOG_DIR / f"{label}-anvil.log")
    try:
        devnet = await provision(anvil.rpc_url, payers=1)
        with tempfile.TemporaryDirectory(prefix=f"{label}-", dir=WORK_DIR, ignore_cleanup_errors=True) as data_dir:
            command = COMMANDS[name]
            server = await RunningServer.start(
                name,
                lambda port: command(devnet, port, Path(data_dir), knobs),
                knobs,
                LOG_DIR / f"{label}-server.log",
            )
            try:
                yield Session(name, devnet, server)
            finally:
                await server.stop()
    finally:
        await anvil.stop()


@dataclass
class SvmSession:
    devnet: SvmDevnet
    server: RunningServer


@contextlib.asynccontextmanager
async def fresh_svm_session(knobs: Knobs, label: str) -> AsyncIterator[SvmSession]:
    """A fresh Solana devnet (provisioned by its own process: one funded payer, a fee payer with SOL, an empty
    payTo token account) and a freshly started forge402 on it; both stopped on exit, by their own PIDs."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    chain = await SvmDevnetProcess.start(log_path=LOG_DIR / f"{label}-svm.log", payers=1, slot_ms=knobs.svm_slot_ms)
    try:
        devnet = describe(chain.rpc_url, payers=1)
        with tempfile.TemporaryDirectory(prefix=f"{label}-", dir=WORK_DIR, ignore_cleanup_errors=True) as data_dir:
            server = await RunningServer.start(
                "forge402",
                lambda port: forge402_svm_command(devnet, port, Path(data_dir), knobs),
                knobs,
                LOG_DIR / f"{label}-server.log",
            )
            try:
                yield SvmSession(devnet, server)
            finally:
                await server.stop()
    finally:
        await chain.stop()


# --- the 402 probe and the pre-signed payments ---------------------------------------------------------------


@dataclass
class Challenge:
    payment_required: PaymentRequired
    accepted: dict[str, Any]
    price: int


async def fetch_402(server: RunningServer) -> tuple[str, dict[str, Any]]:
    """One unpaid POST: it must be a 402 with a PAYMENT-REQUIRED header; that header, raw and decoded."""
    conn = HttpConnection(server.port)
    try:
        response = await conn.request(build_post(server.port, ROUTE, BODY))
    finally:
        conn.close()
    header = response.headers.get("payment-required")
    if response.status != 402 or not header:
        raise RuntimeError(
            f"{server.name}: unpaid POST {ROUTE} gave {response.status}, not a 402 with PAYMENT-REQUIRED"
        )
    return header, b64_json(header) or {}


async def probe_402(session: Session) -> Challenge:
    """One unpaid POST: it must be a 402 with a v2 PAYMENT-REQUIRED header offering exact on our network."""
    header, raw = await fetch_402(session.server)
    accepted = raw["accepts"][0]
    if accepted.get("scheme") != "exact" or accepted.get("network") != session.devnet.network:
        raise RuntimeError(f"{session.name}: unexpected accepts[0] {accepted}")
    return Challenge(decode_payment_required_header(header), accepted, int(accepted["amount"]))


@dataclass
class SignedPayment:
    header: str
    nonce: str


async def sign_payments(private_key: str, challenge: Challenge, count: int) -> list[SignedPayment]:
    """Sign `count` distinct EIP-3009 payments with the official Python client (each has its own random nonce)."""
    client = x402Client()
    register_exact_evm_client(client, EthAccountSigner(Account.from_key(private_key)))
    payments = []
    for _ in range(count):
        payload = await client.create_payment_payload(challenge.payment_required)
        nonce = str(payload.payload["authorization"]["nonce"])
        payments.append(SignedPayment(encode_payment_signature_header(payload), nonce))
    return payments


# --- unpaid load ---------------------------------------------------------------------------------------------


async def unpaid_asyncio(port: int, concurrency: int, seconds: float) -> dict[str, Any]:
    """`concurrency` keep-alive connections POSTing without payment for `seconds`."""
    raw = build_post(port, ROUTE, BODY)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        conn = HttpConnection(port)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await conn.request(raw)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                await asyncio.sleep(0.01)  # a refused connection must not spin the loop
                continue
            latencies.append(time.perf_counter() - started)
            statuses[response.status] += 1
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "tool": "asyncio",
        "requests": sum(statuses.values()),
        "n402": statuses[402],
        "other": sum(statuses.values()) - statuses[402],
        "socket_errors": errors,
        "seconds": rounded(elapsed, 3),
        "rps": rounded(statuses[402] / elapsed, 1),
        "p50_ms": rounded(percentile(latencies, 50) * 1000 if latencies else None, 3),
        "p99_ms": rounded(percentile(latencies, 99) * 1000 if latencies else None, 3),
    }


async def unpaid_wrk(port: int, concurrency: int, seconds: float) -> dict[str, Any]:
    """wrk -t1 with scripts/bench/post.lua; it reports 402s apart from other answers."""
    cmd = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    cmd += ["-s", str(BENCH_SRC / "post.lua"), f"http://{HOST}:{port}{ROUTE}"]
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = await proc.communicate()
    line = next((ln for ln in out.decode().splitlines() if ln.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {out.decode()[-500:]}")
    data = json.loads(line.removeprefix("WRKJSON "))
    elapsed = data["duration_us"] / 1e6
    return {
        "tool": "wrk",
        "requests": data["requests"],
        "n402": data["n402"],
        "other": data["other"],
        "socket_errors": data["socket_errors"],
        "seconds": rounded(elapsed, 3),
        "rps": rounded(data["n402"] / elapsed, 1),
        "p50_ms": rounded(data["p50_us"] / 1000, 3),
        "p99_ms": rounded(data["p99_us"] / 1000, 3),
    }


async def unpaid_phase(name: str, knobs: Knobs, rep: int) -> dict[str, Any]:
    """Fresh chain + server, a 1 s warm-up, one unpaid run at c=32, with the server's CPU time per request."""
    async with fresh_session(name, knobs, f"{name}-unpaid-r{rep}") as session:
        await probe_402(session)
        port = session.server.port
        await unpaid_asyncio(port, knobs.unpaid_concurrency, 1.0)
        cpu_before = session.server.cpu_seconds()
        if knobs.use_wrk:
            run = await unpaid_wrk(port, knobs.unpaid_concurrency, knobs.unpaid_seconds)
        else:
            run = await unpaid_asyncio(port, knobs.unpaid_concurrency, knobs.unpaid_seconds)
        cpu_after = session.server.cpu_seconds()
    if cpu_before is not None and cpu_after is not None and run["requests"]:
        run["server_cpu_ms_per_request"] = rounded((cpu_after - cpu_before) * 1000 / run["requests"], 4)
    log(f"{name} unpaid #{rep + 1}: {run['rps']:,.0f} 402/s p50 {run['p50_ms']} ms p99 {run['p99_ms']} ms")
    return run


# --- paid load -----------------------------------------------------------------------------------------------


@dataclass
class PaidRecord:
    status: int
    seconds: float
    ok: bool
    reason: str | None = None
    transaction: str | None = None  # the settlement's transaction (hash / signature), from PAYMENT-RESPONSE


def classify(response: HttpResponse) -> PaidRecord:
    """A paid call succeeded when it is a 2xx whose PAYMENT-RESPONSE says success."""
    settle = b64_json(response.headers.get("payment-response") or response.headers.get("x-payment-response"))
    ok = 200 <= response.status < 300 and bool(settle and settle.get("success") is True)
    reason = None
    if not ok:
        required = b64_json(response.headers.get("payment-required"))
        reason = (
            (settle or {}).get("errorReason")
            or (required or {}).get("error")
            or response.body[:120].decode("utf-8", "replace")
        )
    transaction = (settle or {}).get("transaction") if ok else None
    return PaidRecord(response.status, 0.0, ok, reason and f"{response.status}: {reason}", transaction)


async def send_paid(port: int, headers: Sequence[str], concurrency: int) -> tuple[list[PaidRecord], float]:
    """Send each payment header once, `concurrency` connections pulling from one queue; returns records and wall
    time."""
    records: list[PaidRecord | None] = [None] * len(headers)
    queue = iter(range(len(headers)))
    deadline = time.perf_counter() + PAID_BATCH_MAX_S

    async def worker() -> None:
        conn = HttpConnection(port)
        for index in queue:
            if time.perf_counter() > deadline:
                break
            raw = build_post(port, ROUTE, BODY, {PAYMENT_SIGNATURE_HEADER: headers[index]})
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT_S):
                    record = classify(await conn.request(raw))
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                record = PaidRecord(0, 0.0, False, f"transport: {type(exc).__name__}")
            record.seconds = time.perf_counter() - started
            records[index] = record
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return [r for r in records if r is not None], time.perf_counter() - started


async def nonces_used(rpc_url: str, token: str, payer: str, nonces: Sequence[str]) -> list[bool]:
    """authorizationState(payer, nonce) for each nonce, in one JSON-RPC batch (an error answer counts as unused)."""
    calls = [
        ("eth_call", [{"to": token, "data": "0x" + authorization_state_calldata(payer, nonce).hex()}, "latest"])
        for nonce in ("0x" + n.removeprefix("0x") for n in nonces)
    ]
    if not calls:
        return []
    async with devnet_rpc(rpc_url, timeout=30) as rpc:
        answers = await rpc.batch(calls)
    return [isinstance(answer, str) and int(answer, 16) == 1 for answer in answers]


async def settled(read: Callable[[], Awaitable[T]], done: Callable[[T], bool], seconds: float = 3) -> T:
    """`read()`, again every 0.1 s for up to `seconds` until `done` (a settlement may land just after its answer)."""
    deadline = time.monotonic() + seconds
    while True:
        value = await read()
        if done(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.1)


async def paid_batch(name: str, knobs: Knobs, concurrency: int, rep: int) -> dict[str, Any]:
    """Fresh chain + server, pre-sign, warm up, one timed batch, then the exactly-once checks on chain."""
    async with fresh_session(name, knobs, f"{name}-paid-c{concurrency}-r{rep}") as session:
        devnet, server = session.devnet, session.server
        challenge = await probe_402(session)
        payer = devnet.payers[0]
        payments = await sign_payments(payer.private_key, challenge, knobs.paid_warmup + knobs.paid_n)
        warmup, timed = payments[: knobs.paid_warmup], payments[knobs.paid_warmup :]
        await send_paid(server.port, [p.header for p in warmup], concurrency)
        balance_before = await usdc_balance(devnet.rpc_url, devnet.pay_to, devnet.usdc)
        cpu_before = server.cpu_seconds()
        records, elapsed = await send_paid(server.port, [p.header for p in timed], concurrency)
        cpu_after = server.cpu_seconds()
        ok = [r for r, _ in zip(records, timed, strict=True) if r.ok]
        expected = balance_before + len(ok) * challenge.price
        balance_after = await settled(
            lambda: usdc_balance(devnet.rpc_url, devnet.pay_to, devnet.usdc), lambda balance: balance == expected
        )
        used = await nonces_used(devnet.rpc_url, devnet.usdc, payer.address, [p.nonce for p in timed])
    return paid_summary(records, used, elapsed, challenge.price, balance_after - balance_before, cpu_before, cpu_after)


def load_summary(
    records: Sequence[PaidRecord], elapsed: float, cpu_before: float | None, cpu_after: float | None
) -> dict[str, Any]:
    """What the client saw of one timed batch: successes, calls/s, latency percentiles, server CPU per success."""
    ok_latencies = [r.seconds * 1000 for r in records if r.ok]
    successes = len(ok_latencies)
    cpu_ms = None if cpu_before is None or cpu_after is None or not successes else (cpu_after - cpu_before) * 1000
    return {
        "sent": len(records),
        "ok": successes,
        "seconds": rounded(elapsed, 3),
        "paid_per_s": rounded(successes / elapsed if elapsed else 0.0),
        "p50_ms": rounded(percentile(ok_latencies, 50)),
        "p99_ms": rounded(percentile(ok_latencies, 99)),
        "server_cpu_ms_per_paid": rounded(cpu_ms / successes if cpu_ms is not None else None),
        "failures": dict(Counter(r.reason for r in records if not r.ok)),
    }


def paid_summary(
    records: Sequence[PaidRecord],
    used: Sequence[bool],
    elapsed: float,
    price: int,
    delta: int,
    cpu_before: float | None,
    cpu_after: float | None,
) -> dict[str, Any]:
    successes = sum(1 for r in records if r.ok)
    paid_unused = sum(1 for r, u in zip(records, used, strict=False) if r.ok and not u)
    charged_unanswered = sum(1 for r, u in zip(records, used, strict=False) if not r.ok and u)
    return {
        **load_summary(records, elapsed, cpu_before, cpu_after),
        "chain": {
            "pay_to_delta": delta,
            "expected_delta": successes * price,
            "successes_with_unused_nonce": paid_unused,
            "failures_with_used_nonce": charged_unanswered,
            "exactly_once": delta == successes * price and paid_unused == 0 and charged_unanswered == 0,
        },
    }


async def paid_phase(name: str, knobs: Knobs, concurrency: int, rep: int) -> dict[str, Any]:
    run = await paid_batch(name, knobs, concurrency, rep)
    flag = "exactly once" if run["chain"]["exactly_once"] else f"CHAIN MISMATCH {run['chain']}"
    log(
        f"{name} paid c={concurrency} #{rep + 1}: {run['ok']}/{run['sent']} ok, {run['paid_per_s']} paid/s, "
        f"p50 {run['p50_ms']} ms p99 {run['p99_ms']} ms, {flag}"
        + (f", failures {run['failures']}" if run["failures"] else "")
    )
    return run


# --- Solana paid load (forge402 only) -------------------------------------------------------------------------


async def svm_rpc(rpc_url: str, calls: Sequence[tuple[str, list[Any]]]) -> list[Any]:
    """Several Solana JSON-RPC calls in one batch; their results in order (an error answer raises)."""
    async with devnet_rpc(rpc_url, timeout=30) as rpc:
        answers = await rpc.batch(calls)
    for (method, _), answer in zip(calls, answers, strict=True):
        if isinstance(answer, Exception):
            raise RuntimeError(f"Solana RPC {method}: {answer}")
    return answers


@dataclass(frozen=True)
class SvmBalances:
    pay_to_usdc: int
    payer_usdc: int
    payer_lamports: int
    fee_payer_lamports: int


async def svm_balances(devnet: SvmDevnet, payer: str) -> SvmBalances:
    """The balances the exactly-once checks compare, read in one batch."""
    parsed = {"encoding": "jsonParsed"}
    pay_to, payer_ata, payer_sol, fee_payer_sol = await svm_rpc(
        devnet.rpc_url,
        [
            ("getAccountInfo", [devnet.pay_to_token_account, parsed]),
            ("getAccountInfo", [token_account(payer, devnet.usdc_mint), parsed]),
            ("getBalance", [payer]),
            ("getBalance", [devnet.fee_payer]),
        ],
    )
    return SvmBalances(
        token_amount(pay_to), token_amount(payer_ata), int(payer_sol["value"]), int(fee_payer_sol["value"])
    )


async def svm_landed(rpc_url: str, signatures: Sequence[str]) -> tuple[int, int]:
    """(how many of `signatures` landed without an error, the sum of the fees of those that landed at all)."""
    if not signatures:
        return 0, 0
    (statuses,) = await svm_rpc(rpc_url, [("getSignatureStatuses", [list(signatures)])])
    landed_ok = sum(1 for st in statuses["value"] if st is not None and st.get("err") is None)
    config = {"encoding": "json", "maxSupportedTransactionVersion": 0}
    found = await svm_rpc(rpc_url, [("getTransaction", [sig, config]) for sig in signatures])
    return landed_ok, sum(int(tx["meta"]["fee"]) for tx in found if tx is not None)


async def svm_paid_batch(knobs: Knobs, concurrency: int, rep: int) -> dict[str, Any]:
    """Fresh Solana devnet + forge402, sign and send the warm-up, sign the batch, one timed batch, then the
    exactly-once checks on chain. Signing is outside the timed window and just before each use: the payments of
    one signing share a blockhash that lives ~60 s."""
    async with fresh_svm_session(knobs, f"forge402-solana-paid-c{concurrency}-r{rep}") as session:
        devnet, server = session.devnet, session.server
        _, raw = await fetch_402(server)
        requirement = next((r for r in raw.get("accepts", []) if r.get("network") == devnet.network), None)
        if requirement is None or requirement.get("scheme") != "exact":
            raise RuntimeError(f"forge402: no exact {devnet.network} offer in the 402: {raw.get('accepts')}")
        price, payer = int(requirement["amount"]), devnet.payers[0]
        warmup = await asyncio.to_thread(sign_svm_payments, devnet, payer, requirement, knobs.paid_warmup)
        await send_paid(server.port, warmup, concurrency)
        timed = await asyncio.to_thread(sign_svm_payments, devnet, payer, requirement, knobs.paid_n)
        before = await svm_balances(devnet, payer.address)
        cpu_before = server.cpu_seconds()
        records, elapsed = await send_paid(server.port, timed, concurrency)
        cpu_after = server.cpu_seconds()
        signatures = [r.transaction for r in records if r.ok and r.transaction]
        expected = len(signatures) * price
        after = await settled(
            lambda: svm_balances(devnet, payer.address),
            lambda balances: balances.pay_to_usdc == before.pay_to_usdc + expected,
        )
        landed_ok, fees = await svm_landed(devnet.rpc_url, signatures)
    return svm_paid_summary(records, elapsed, price, before, after, signatures, landed_ok, fees, cpu_before, cpu_after)


def svm_paid_summary(
    records: Sequence[PaidRecord],
    elapsed: float,
    price: int,
    before: SvmBalances,
    after: SvmBalances,
    signatures: Sequence[str],
    landed_ok: int,
    fees: int,
    cpu_before: float | None,
    cpu_after: float | None,
) -> dict[str, Any]:
    run = load_summary(records, elapsed, cpu_before, cpu_after)
    successes = run["ok"]
    pay_to_delta = after.pay_to_usdc - before.pay_to_usdc
    payer_debit = before.payer_usdc - after.payer_usdc
    spent = before.fee_payer_lamports - after.fee_payer_lamports
    run["lamports_per_paid"] = rounded(spent / successes if successes else None)
    run["chain"] = {
        "pay_to_delta": pay_to_delta,
        "payer_debit": payer_debit,
        "expected_delta": successes * price,
        "successes_without_transaction": successes - len(signatures),
        "duplicate_transactions": len(signatures) - len(set(signatures)),
        "successes_not_landed_ok": len(signatures) - landed_ok,
        "fee_payer_lamports_spent": spent,
        "fees_of_successes": fees,
        "payer_lamports_delta": after.payer_lamports - before.payer_lamports,
        "exactly_once": pay_to_delta == payer_debit == successes * price
        and len(set(signatures)) == len(signatures) == landed_ok == successes
        and spent == fees
        and after.payer_lamports == before.payer_lamports,
    }
    return run


async def svm_paid_phase(knobs: Knobs, concurrency: int, rep: int) -> dict[str, Any]:
    run = await svm_paid_batch(knobs, concurrency, rep)
    flag = "exactly once" if run["chain"]["exactly_once"] else f"CHAIN MISMATCH {run['chain']}"
    log(
        f"forge402 solana paid c={concurrency} #{rep + 1}: {run['ok']}/{run['sent']} ok, {run['paid_per_s']} paid/s, "
        f"p50 {run['p50_ms']} ms p99 {run['p99_ms']} ms, {run['lamports_per_paid']} lamports/paid, {flag}"
        + (f", failures {run['failures']}" if run["failures"] else "")
    )
    return run


# --- summary, environment, output ----------------------------------------------------------------------------


def summarize(runs: Sequence[dict[str, Any]], keys: Sequence[str]) -> dict[str, Any]:
    return {key: median_of(runs, key) for key in keys}


def paid_median(runs: Sequence[dict[str, Any]], keys: Sequence[str] = PAID_KEYS) -> dict[str, Any]:
    median = summarize(runs, keys)
    median["ok"] = sum(r["ok"] for r in runs)
    median["sent"] = sum(r["sent"] for r in runs)
    median["exactly_once"] = all(r["chain"]["exactly_once"] for r in runs)
    return median


def ratio(results: dict[str, Any], path: Sequence[str]) -> float | None:
    def dig(name: str) -> float | None:
        node: Any = results.get(name, {})
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node

    ours, theirs = dig("forge402"), dig("reference")
    return rounded(ours / theirs, 3) if ours is not None and theirs else None


def command_version(cmd: Sequence[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else None


def versions(knobs: Knobs) -> dict[str, Any]:
    found: dict[str, Any] = {"python": platform.python_version()}
    for package in PY_PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[package] = importlib.metadata.version(package)
    found["node"] = command_version(["node", "--version"])
    found["anvil"] = command_version([str(ANVIL_BIN), "--version"])
    if knobs.use_wrk:
        found["wrk"] = command_version(["wrk", "-v"])
    for package in PEER_PACKAGES:
        manifest = PEER_DIR / "node_modules" / package / "package.json"
        if manifest.exists():
            found[f"npm:{package}"] = json.loads(manifest.read_text())["version"]
    return found


def machine(load_at_start: Sequence[float]) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")), None)
    mem_kb = next(
        (int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")), 0
    )
    return {
        "cpu_model": model or platform.processor(),
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "kernel": platform.release(),
        "platform": platform.platform(),
        "load_avg_at_start": [round(x, 2) for x in load_at_start],
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def cell(node: dict[str, Any] | None, key: str) -> str:
    value = (node or {}).get(key)
    return "-" if value is None else f"{value:,.1f}"


def print_table(results: dict[str, Any], knobs: Knobs, ratios: dict[str, Any]) -> None:
    header = f"{'server':<10} {f'402/s c={knobs.unpaid_concurrency}':>11} {'p50/p99 ms':>15}"
    header += "".join(f" {f'paid/s c={c}':>11} {'p50/p99 ms':>15}" for c in knobs.paid_concurrency)
    header += f" {'ok/sent':>11} {'exactly once':>13}"
    print("\nBase (eip155:84532, local anvil)\n" + header + "\n" + "-" * len(header))

    for name, result in results.items():
        if "error" in result:
            print(f"{name:<10} ERROR: {result['error']}")
            continue
        unpaid = result["unpaid"]["median"]
        row = f"{name:<10} {cell(unpaid, 'rps'):>11} {cell(unpaid, 'p50_ms') + ' / ' + cell(unpaid, 'p99_ms'):>15}"
        medians = [result["paid"][f"c{c}"]["median"] for c in knobs.paid_concurrency]
        for paid in medians:
            row += f" {cell(paid, 'paid_per_s'):>11} {cell(paid, 'p50_ms') + ' / ' + cell(paid, 'p99_ms'):>15}"
        ok_sent = f"{sum(m['ok'] for m in medians)}/{sum(m['sent'] for m in medians)}"
        print(row + f" {ok_sent:>11} {'yes' if all(m['exactly_once'] for m in medians) else 'NO':>13}")
    print(f"\nmedians of {knobs.reps} round(s); ratios forge402/reference: {json.dumps(ratios)}")


def print_solana_table(results: dict[str, Any], knobs: Knobs) -> None:
    header = f"{'server':<10}"
    header += "".join(
        f" {f'paid/s c={c}':>11} {'p50/p99 ms':>15} {'lamports/paid':>13}" for c in knobs.paid_concurrency
    )
    header += f" {'ok/sent':>11} {'exactly once':>13}"
    print("\nSolana (forge402 only; solana:EtWT... devnet, local LiteSVM)\n" + header + "\n" + "-" * len(header))
    for name, result in results.items():
        if "error" in result:
            print(f"{name:<10} ERROR: {result['error']}")
            continue
        row = f"{name:<10}"
        medians = [result["paid"][f"c{c}"]["median"] for c in knobs.paid_concurrency]
        for paid in medians:
            row += f" {cell(paid, 'paid_per_s'):>11} {cell(paid, 'p50_ms') + ' / ' + cell(paid, 'p99_ms'):>15}"
            row += f" {cell(paid, 'lamports_per_paid'):>13}"
        ok_sent = f"{sum(m['ok'] for m in medians)}/{sum(m['sent'] for m in medians)}"
        print(row + f" {ok_sent:>11} {'yes' if all(m['exactly_once'] for m in medians) else 'NO':>13}")
    print(f"\nmedians of {knobs.reps} round(s); no reference x402 server exists for Solana, so no ratios")


async def run(knobs: Knobs) -> tuple[dict[str, Any], dict[str, Any]]:
    """`reps` rounds; in each, every server gets one unpaid run and one paid batch per concurrency on Base, then
    forge402 one paid batch per concurrency on Solana. Returns (Base results, Solana results) by server.

    Interleaving the servers round by round (in alternating order) spreads the drift of a shared machine over both.
    """
    base_servers = knobs.servers if "base" in knobs.chains else ()
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {name: {} for name in base_servers}
    svm_runs: dict[str, dict[str, list[dict[str, Any]]]] = {name: {} for name in knobs.solana_servers}
    errors: dict[str, str] = {}
    svm_errors: dict[str, str] = {}
    for rep in range(knobs.reps):
        for name in base_servers if rep % 2 == 0 else base_servers[::-1]:
            if name in errors:
                continue
            try:
                runs[name].setdefault("unpaid", []).append(await unpaid_phase(name, knobs, rep))
                for c in knobs.paid_concurrency:
                    runs[name].setdefault(f"c{c}", []).append(await paid_phase(name, knobs, c, rep))
            except Exception as exc:
                log(f"{name}: dropped ({exc})")
                errors[name] = str(exc)
        for name in knobs.solana_servers:
            if name in svm_errors:
                continue
            try:
                for c in knobs.paid_concurrency:
                    svm_runs[name].setdefault(f"c{c}", []).append(await svm_paid_phase(knobs, c, rep))
            except Exception as exc:
                log(f"{name} solana: dropped ({exc})")
                svm_errors[name] = str(exc)
    base = {name: {"error": errors[name]} if name in errors else server_result(runs[name]) for name in base_servers}
    solana = {
        name: {"error": svm_errors[name]}
        if name in svm_errors
        else {
            "paid": {
                key: {"runs": batch, "median": paid_median(batch, (*PAID_KEYS, "lamports_per_paid"))}
                for key, batch in svm_runs[name].items()
            }
        }
        for name in knobs.solana_servers
    }
    return base, solana


def server_result(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    unpaid = runs.pop("unpaid")
    return {
        "unpaid": {"runs": unpaid, "median": summarize(unpaid, UNPAID_KEYS)},
        "paid": {key: {"runs": batch, "median": paid_median(batch)} for key, batch in runs.items()},
    }


def assemble(
    knobs: Knobs, results: dict[str, Any], solana: dict[str, Any], started: float, load: Sequence[float]
) -> dict[str, Any]:
    ratios = {
        "unpaid_402_per_s": ratio(results, ("unpaid", "median", "rps")),
        **{
            f"paid_per_s_c{c}": ratio(results, ("paid", f"c{c}", "median", "paid_per_s"))
            for c in knobs.paid_concurrency
        },
    }
    forge_p50 = (results.get("forge402", {}).get("paid", {}).get("c1", {}).get("median") or {}).get("p50_ms")
    targets = {
        "unpaid_ratio_ge_1": None if ratios["unpaid_402_per_s"] is None else ratios["unpaid_402_per_s"] >= 1.0,
        **{
            f"paid_ratio_c{c}_ge_1": None if ratios[f"paid_per_s_c{c}"] is None else ratios[f"paid_per_s_c{c}"] >= 1.0
            for c in knobs.paid_concurrency
        },
        f"forge402_paid_p50_c1_le_{TARGET_PAID_P50_MS:g}_ms": None
        if forge_p50 is None
        else forge_p50 <= TARGET_PAID_P50_MS,
    }
    return {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "duration_s": round(time.monotonic() - started, 1),
        "route": f"POST {ROUTE}",
        "body": json.loads(BODY),
        "knobs": {**asdict(knobs), "output": str(knobs.output)},
        "method": {
            "unpaid": f"POST without payment, c={knobs.unpaid_concurrency}, {knobs.unpaid_seconds:g} s per run after "
            "a 1 s warm-up, each run on a fresh anvil + freshly started server, "
            + ("wrk -t1 + scripts/bench/post.lua" if knobs.use_wrk else "asyncio HTTP/1.1 keep-alive client"),
            "rounds": f"{knobs.reps} rounds; each gives every server one unpaid run and one paid batch per "
            "concurrency, servers interleaved in alternating order; medians over the rounds",
            "paid": f"{knobs.paid_n} pre-signed payments per batch (official Python x402Client), after "
            f"{knobs.paid_warmup} warm-up payments, each batch on a fresh anvil + freshly started server",
            "success": "2xx with PAYMENT-RESPONSE success=true",
            "pinning": f"server CPU {SERVER_CPU}, driver + anvil CPU {DRIVER_CPU}" if knobs.pin_cpus else "none",
            "forge402": f"FORGE402_ENGINE_WORKERS={knobs.engine_workers}; each paid call enqueues a draft 3D job",
            "reference": "express 5 + @x402/express paymentMiddleware + x402ResourceServer + in-process "
            "x402Facilitator, @x402/evm exact, viem wallet client with nonceManager",
            "solana": f"forge402 only (no reference x402 server exists for Solana), configured for Solana alone "
            f"(FORGE402_SVM_*) on a local LiteSVM devnet (app.devnet.svm, {knobs.svm_slot_ms} ms slots, a blockhash "
            f"valid 150 blocks); per batch a fresh devnet + freshly started server, {knobs.paid_warmup} warm-up "
            f"payments then {knobs.paid_n} timed, each group signed just before it (app.devnet.svm_payments: "
            "TransferChecked + memo, payer's signature only, one blockhash) outside the timed window; checked on "
            "chain: payTo USDC delta == payer USDC debit == successes x price, each success's transaction landed "
            "without error, payer SOL unchanged, fee payer SOL spent == the fees of those transactions",
        },
        "ratios_forge402_over_reference": ratios,
        "targets": targets,
        "servers": results,
        "solana": solana,
        "versions": versions(knobs),
        "machine": machine(load),
    }


async def main_async(knobs: Knobs) -> int:
    started, load = time.monotonic(), os.getloadavg()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    if LOG_DIR.is_dir():
        for old in LOG_DIR.glob("*.log"):
            old.unlink()
    if knobs.pin_cpus:
        os.sched_setaffinity(0, {DRIVER_CPU})  # anvil (our child) inherits it; servers are re-pinned to CPU 0
    if "base" in knobs.chains and "reference" in knobs.servers:
        ensure_reference_installed()
    log(
        f"chains {','.join(knobs.chains)}; servers {','.join(knobs.servers)} (Solana: "
        f"{','.join(knobs.solana_servers) or 'none'}); unpaid via {'wrk' if knobs.use_wrk else 'asyncio'}; "
        f"{knobs.reps} round(s)"
    )
    results, solana = await run(knobs)
    report = assemble(knobs, results, solana, started, load)
    knobs.output.parent.mkdir(parents=True, exist_ok=True)
    knobs.output.write_text(json.dumps(report, indent=2) + "\n")
    if results:
        print_table(results, knobs, report["ratios_forge402_over_reference"])
        print(f"targets: {json.dumps(report['targets'])}")
    if solana:
        print_solana_table(solana, knobs)
    log(f"wrote {knobs.output} in {report['duration_s']} s")
    return 0 if all_sound(results) and all_sound(solana) else 1


def all_sound(results: dict[str, Any]) -> bool:
    """Every server benched, and every paid batch passed the exactly-once checks on chain."""
    return all(
        "error" not in result and all(c["median"]["exactly_once"] for c in result["paid"].values())
        for result in results.values()
    )


def main(argv: Sequence[str] | None = None) -> int:
    knobs = parse_knobs(argv)
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main_async(knobs))
    return uvloop.run(main_async(knobs))


if __name__ == "__main__":
    sys.exit(main())
