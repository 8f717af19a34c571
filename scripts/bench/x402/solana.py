"""Paid load on Solana (forge402 only: no reference x402 server exists for Solana), with its exactly-once checks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.devnet.litesvm import SvmDevnet, token_account, token_amount
from app.devnet.processes import devnet_rpc
from app.devnet.solana_payer import sign_svm_payments
from scripts.bench.x402.knobs import Knobs
from scripts.bench.x402.paid import PaidRecord, load_summary, log_batch, send_paid, settled
from scripts.bench.x402.servers import fresh_svm_session
from scripts.bench.x402.stats import process_cpu_seconds, rounded
from scripts.bench.x402.unpaid import fetch_402


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
        cpu_before = process_cpu_seconds(server.pid)
        records, elapsed = await send_paid(server.port, timed, concurrency)
        cpu_after = process_cpu_seconds(server.pid)
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
    return log_batch("forge402 solana", concurrency, rep, run, f"{run['lamports_per_paid']} lamports/paid, ")
