"""Paid load on Base: payments pre-signed with the official Python client, sent at c=1 and c=8, then the
exactly-once checks on chain (payTo's balance, every success's nonce used, no failure's)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from eth_account import Account

from app.devnet.anvil import usdc_balance
from app.devnet.processes import devnet_rpc
from payments.evm.eip3009 import authorization_state_calldata
from scripts.bench.x402.knobs import BODY, PAID_BATCH_MAX_S, REQUEST_TIMEOUT_S, ROUTE, Knobs
from scripts.bench.x402.profile import profiled
from scripts.bench.x402.servers import fresh_session
from scripts.bench.x402.stats import b64_json, log, percentile, process_cpu_seconds, pss_mb, rounded, tree
from scripts.bench.x402.unpaid import Challenge, probe_402
from scripts.bench.x402.wire import HttpConnection, HttpResponse, build_post
from x402 import x402Client
from x402.http import PAYMENT_SIGNATURE_HEADER, encode_payment_signature_header
from x402.mechanisms.evm import EthAccountSigner
from x402.mechanisms.evm.exact.register import register_exact_evm_client

T = TypeVar("T")


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


RPC_LINE = re.compile(r"^(eth|net|web3|anvil|evm|txpool|debug|trace)_[A-Za-z0-9_]+$")


def rpc_methods(log_path: Path, start: int) -> Counter[str]:
    """The JSON-RPC methods anvil logged (one line each) past byte `start` of its log. Anvil logs an
    `eth_sendRawTransactionSync` request as two lines, that method then the `eth_sendRawTransaction` it runs inside:
    one request, counted once."""
    with open(log_path, "rb") as f:
        f.seek(start)
        text = f.read().decode(errors="replace")
    methods: Counter[str] = Counter()
    previous = ""
    for line in (raw.strip() for raw in text.splitlines()):
        if not RPC_LINE.match(line):
            continue
        if not (line == "eth_sendRawTransaction" and previous == "eth_sendRawTransactionSync"):
            methods[line] += 1
        previous = line
    return methods


async def gas_used(rpc_url: str, transactions: Sequence[str]) -> list[int]:
    """gasUsed of each transaction's receipt (one JSON-RPC batch)."""
    distinct = sorted(set(transactions))
    if not distinct:
        return []
    async with devnet_rpc(rpc_url, timeout=30) as rpc:
        receipts = await rpc.batch([("eth_getTransactionReceipt", [tx]) for tx in distinct])
    return [int(r["gasUsed"], 16) for r in receipts if isinstance(r, dict)]


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
        log_start = session.anvil_log.stat().st_size
        profiles: dict[str, Any] = {}
        profile = knobs.profile and name == "forge402" and concurrency == 1
        async with profiled(server.pid, f"paid-c{concurrency}", profiles) if profile else contextlib.nullcontext():
            cpu_before = process_cpu_seconds(server.pid)
            records, elapsed = await send_paid(server.port, [p.header for p in timed], concurrency)
            cpu_after = process_cpu_seconds(server.pid)
        await asyncio.sleep(0.2)  # the last receipt polls reach the log
        rpc = rpc_methods(session.anvil_log, log_start)
        memory = pss_mb(tree(server.pid))
        ok = [r for r, _ in zip(records, timed, strict=True) if r.ok]
        expected = balance_before + len(ok) * challenge.price
        balance_after = await settled(
            lambda: usdc_balance(devnet.rpc_url, devnet.pay_to, devnet.usdc), lambda balance: balance == expected
        )
        used = await nonces_used(devnet.rpc_url, devnet.usdc, payer.address, [p.nonce for p in timed])
        gas = await gas_used(devnet.rpc_url, [r.transaction for r in ok if r.transaction])
    run = paid_summary(records, used, elapsed, challenge.price, balance_after - balance_before, cpu_before, cpu_after)
    sent = max(1, len(records))
    run["rpc_calls_per_paid"] = rounded(sum(rpc.values()) / sent)
    run["rpc_per_paid"] = {method: rounded(n / sent) for method, n in rpc.most_common()}
    run["gas_per_settlement"] = statistics.median(gas) if gas else None
    run["pss_mb"] = memory
    run.update(profiles)
    return run


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


def log_batch(label: str, concurrency: int, rep: int, run: dict[str, Any], extra: str = "") -> dict[str, Any]:
    """One line per paid batch: successes, rate, latency, whatever `extra` adds, and the on-chain verdict."""
    flag = "exactly once" if run["chain"]["exactly_once"] else f"CHAIN MISMATCH {run['chain']}"
    if run.get("rpc_calls_per_paid") is not None:
        extra += f"{run['rpc_calls_per_paid']} RPC calls and {run['gas_per_settlement']} gas per paid call, "
    log(
        f"{label} paid c={concurrency} #{rep + 1}: {run['ok']}/{run['sent']} ok, {run['paid_per_s']} paid/s, "
        f"p50 {run['p50_ms']} ms p99 {run['p99_ms']} ms, {run['server_cpu_ms_per_paid']} ms CPU each, {extra}{flag}"
        + (f", failures {run['failures']}" if run["failures"] else "")
    )
    return run


async def paid_phase(name: str, knobs: Knobs, concurrency: int, rep: int) -> dict[str, Any]:
    return log_batch(name, concurrency, rep, await paid_batch(name, knobs, concurrency, rep))
