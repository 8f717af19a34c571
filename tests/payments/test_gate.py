"""The per-source gate: a payer who sends more payments at once than its balance covers gets a job for each payment
its balance covers, a 402 for the others, and our settling account sends (and pays for) only the payments that
succeed. Before the gate, every payment verified before the first one landed was sent: on Base the rest reverted at
our gas, on Solana they landed and failed at our fee payer's expense."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.devnet.anvil import EvmDevnet
from app.devnet.litesvm import SvmDevnet
from payments import errors
from payments.codec import decode_json
from payments.gateway import Outcome, PaymentGateway
from tests.devnet import fresh_payer, mining_every_second, receipt_status, sent_transactions
from tests.paid import lamports, landing_in_blocks, svm_devnet_fixture, transaction_fee, usdc  # noqa: F401
from tests.payments.conftest import (
    FINGERPRINT,
    OFFER,
    PRICE,
    REQUEST_JSON,
    Fulfilments,
    balance,
    fresh_pay_to,
    sdk_payments,
    sign,
    started_gateway,
    v2_headers,
)
from tests.payments.test_svm_gateway import fresh_pay_to as fresh_svm_pay_to
from tests.payments.test_svm_gateway import funded_payer, pay, requirement, started

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL


def tally(outs: Sequence[Outcome]) -> Counter[tuple[int, str | None]]:
    return Counter((o.status_code, o.body["error"] if o.body else None) for o in outs)


async def charge_all(gateways: Sequence[PaymentGateway], headers: list[dict[str, str]]) -> list[Outcome]:
    """Every payment at once, the i-th through gateway i mod len(gateways)."""
    fulfil = Fulfilments()
    charges = [
        gateways[i % len(gateways)].charge(h, OFFER, FINGERPRINT, REQUEST_JSON, fulfil) for i, h in enumerate(headers)
    ]
    return await asyncio.gather(*charges)


async def evm_settled_once_each(devnet: EvmDevnet, outs: Sequence[Outcome], sent_before: int, jobs: int) -> None:
    """`jobs` payments paid, the rest refused for want of funds, and the facilitator sent exactly `jobs` transactions,
    none reverted."""
    assert tally(outs) == {(202, None): jobs, (402, errors.INSUFFICIENT_FUNDS): len(outs) - jobs}, tally(outs)
    assert len({o.job_id for o in outs if o.job_id}) == jobs
    assert await sent_transactions(devnet) - sent_before == jobs
    for out in outs:
        if out.status_code == 202:
            assert await receipt_status(devnet, decode_json(out.headers["PAYMENT-RESPONSE"])["transaction"]) == 1


def test_eight_sdk_payments_from_a_payer_holding_one_price_settle_once(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        payer = await fresh_payer(evm_devnet, PRICE)
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            headers = await sdk_payments(gw, payer.private_key, 8)
            sent_before = await sent_transactions(evm_devnet)
            with mining_every_second(evm_devnet):
                outs = await charge_all([gw], headers)
            await evm_settled_once_each(evm_devnet, outs, sent_before, jobs=1)
            assert await balance(evm_devnet, pay_to) == PRICE and await balance(evm_devnet, payer.address) == 0

    asyncio.run(main())


def test_a_payer_holding_three_prices_gets_three_of_eight(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        payer = await fresh_payer(evm_devnet, 3 * PRICE)
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            headers = [v2_headers(gw, sign(evm_devnet, payer, pay_to)) for _ in range(8)]
            sent_before = await sent_transactions(evm_devnet)
            with mining_every_second(evm_devnet):
                outs = await charge_all([gw], headers)
            await evm_settled_once_each(evm_devnet, outs, sent_before, jobs=3)
            assert await balance(evm_devnet, pay_to) == 3 * PRICE

    asyncio.run(main())


def test_the_gate_holds_across_two_gateways_on_one_ledger(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    """Two gateways on one ledger file, as `forge402 serve --workers 2`: neither sends while the other's payment from
    the same payer is in flight."""

    async def main() -> None:
        pay_to = fresh_pay_to()
        payer = await fresh_payer(evm_devnet, PRICE)
        db = tmp_path / "f.db"
        async with started_gateway(evm_devnet, db, pay_to) as a, started_gateway(evm_devnet, db, pay_to) as b:
            headers = await sdk_payments(a, payer.private_key, 8)
            sent_before = await sent_transactions(evm_devnet)
            with mining_every_second(evm_devnet):
                outs = await charge_all([a, b], headers)
            await evm_settled_once_each(evm_devnet, outs, sent_before, jobs=1)
            assert await balance(evm_devnet, pay_to) == PRICE

    asyncio.run(main())


def test_solana_payments_beyond_the_balance_are_never_sent(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    """One price, then three prices, of USDC; eight distinct payments at once each time: one job, then three, and
    the fee payer paid exactly the fees of the transactions that paid us."""

    async def main() -> None:
        pay_to = fresh_svm_pay_to(svm_devnet)
        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw:
            for held in (1, 3):
                payer = funded_payer(svm_devnet, held * PRICE)
                signed = [await asyncio.to_thread(pay, svm_devnet, requirement(gw), payer) for _ in range(8)]
                headers = [{"PAYMENT-SIGNATURE": header} for header in signed]
                fee_payer_before, pay_to_before = lamports(svm_devnet, svm_devnet.fee_payer), usdc(svm_devnet, pay_to)
                with landing_in_blocks(svm_devnet) as landed:
                    outs = await charge_all([gw], headers)
                assert tally(outs) == {(202, None): held, (402, errors.INSUFFICIENT_FUNDS): 8 - held}, tally(outs)
                paid = {decode_json(o.headers["PAYMENT-RESPONSE"])["transaction"] for o in outs if o.job_id}
                # only the paying transactions were sent, and none landed and failed
                assert {t["signature"] for t in landed} == paid, landed
                assert all(t["landed"] and t["err"] is None for t in landed), landed
                fees = sum(transaction_fee(svm_devnet, signature) for signature in paid)
                assert fee_payer_before - lamports(svm_devnet, svm_devnet.fee_payer) == fees
                assert usdc(svm_devnet, pay_to) - pay_to_before == held * PRICE
                assert usdc(svm_devnet, str(payer.pubkey())) == 0

    asyncio.run(main())
