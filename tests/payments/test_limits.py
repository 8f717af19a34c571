"""Our own limits on what failing payments may cost: a payer or an address with too many failed payments gets 429
before any RPC; the Solana fee payer stops co-signing past its budget of lamports per minute (503, Base unaffected);
and a Solana payment asking a priority fee over the operator's cap is refused (402)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from app.devnet.anvil import EvmDevnet, mint_usdc
from app.devnet.litesvm import SvmDevnet
from payments import errors
from payments.codec import decode_json
from payments.gateway import Outcome, PaymentConfig, PaymentGateway, SvmNetworkConfig
from payments.svm import errors as svm_errors
from tests.devnet import fresh_payer, sent_transactions
from tests.paid import lamports, svm_devnet_fixture, usdc  # noqa: F401 - registers svm_devnet
from tests.payments.conftest import (
    FINGERPRINT,
    OFFER,
    PRICE,
    REQUEST_JSON,
    Fulfilments,
    config_for,
    fresh_pay_to,
    running,
    sign,
    v2_headers,
)
from tests.payments.test_svm_gateway import fresh_pay_to as fresh_svm_pay_to
from tests.payments.test_svm_gateway import funded_payer, pay, requirement

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

PER_PAYER, PER_ADDRESS = 10, 30  # the documented default limits of failed payments per window
FEE = 2 * 5000 + 1  # what one of our test payments costs the fee payer: two signatures, 1 lamport priority fee


@asynccontextmanager
async def gateway(
    db: Path,
    evm: EvmDevnet | None = None,
    svm: SvmDevnet | None = None,
    svm_options: dict[str, Any] | None = None,
    pay_to: tuple[str, str] | None = None,
    **options: Any,
) -> AsyncIterator[PaymentGateway]:
    """A started gateway taking Base (`evm`) and/or Solana (`svm`) payments, with our limits set by `options`; paid to
    `pay_to` (Base, Solana), fresh addresses by default."""
    evm_to, svm_to = pay_to or (fresh_pay_to(), fresh_svm_pay_to(svm) if svm else "")
    config = config_for(evm, evm_to, **options) if evm else PaymentConfig(**options)
    if svm is not None:
        net = SvmNetworkConfig(svm.network, svm.rpc_url, svm_to, svm.fee_payer_key, **(svm_options or {}))
        config = PaymentConfig(evm=config.evm, svm=[net], **options)
    async with running(config, db) as gw:
        yield gw


async def charge(gw: PaymentGateway, headers: dict[str, str], client: str | None = None) -> Outcome:
    if client is None:
        return await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, Fulfilments())
    return await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, Fulfilments(), client=client)


def answer(out: Outcome) -> tuple[int, str | None]:
    return out.status_code, out.body["error"] if out.body else None


def evm_pay_to(gw: PaymentGateway) -> str:
    return gw.book.acceptances[0].pay_to


def test_a_payer_with_too_many_failed_payments_gets_429(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        async with gateway(tmp_path / "f.db", evm_devnet) as gw:  # the default limits
            pay_to = evm_pay_to(gw)
            poor = await fresh_payer(evm_devnet, 0)
            for _ in range(PER_PAYER):  # refused on chain: the payer holds nothing
                out = await charge(gw, v2_headers(gw, sign(evm_devnet, poor, pay_to)))
                assert answer(out) == (402, errors.INSUFFICIENT_FUNDS), out
            refused = await charge(gw, v2_headers(gw, sign(evm_devnet, poor, pay_to)))
            assert answer(refused) == (429, errors.TOO_MANY_FAILED_PAYMENTS), refused
            assert 1 <= int(refused.headers["Retry-After"]) <= 600 and refused.job_id is None
            assert "failed" in refused.body["message"]  # type: ignore[index]
            # funded now, the same payer is still held back until the window ends: nothing is verified or sent
            sent_before = await sent_transactions(evm_devnet)
            await mint_usdc(evm_devnet.rpc_url, poor.address, PRICE)
            out = await charge(gw, v2_headers(gw, sign(evm_devnet, poor, pay_to)))
            assert answer(out) == (429, errors.TOO_MANY_FAILED_PAYMENTS)
            assert await sent_transactions(evm_devnet) == sent_before
            # another payer is not affected
            rich = await fresh_payer(evm_devnet, PRICE)
            assert (await charge(gw, v2_headers(gw, sign(evm_devnet, rich, pay_to)))).status_code == 202

    asyncio.run(main())


def test_an_address_with_too_many_failed_payments_gets_429(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        async with gateway(tmp_path / "f.db", evm_devnet) as gw:  # the default limits
            pay_to = evm_pay_to(gw)
            for _ in range(PER_ADDRESS):  # as many payers, each failing once, one address
                poor = await fresh_payer(evm_devnet, 0)
                out = await charge(gw, v2_headers(gw, sign(evm_devnet, poor, pay_to)), "203.0.113.7")
                assert answer(out) == (402, errors.INSUFFICIENT_FUNDS), out
            rich = await fresh_payer(evm_devnet, PRICE)
            good = v2_headers(gw, sign(evm_devnet, rich, pay_to))
            out = await charge(gw, good, "203.0.113.7")
            assert answer(out) == (429, errors.TOO_MANY_FAILED_PAYMENTS), out
            assert "Retry-After" in out.headers
            assert (await charge(gw, good, "198.51.100.1")).status_code == 202  # the same payment from elsewhere

    asyncio.run(main())


def test_past_its_fee_budget_the_solana_lane_answers_503_and_base_still_pays(
    evm_devnet: EvmDevnet, svm_devnet: SvmDevnet, tmp_path: Path
) -> None:
    async def main() -> None:
        db = tmp_path / "f.db"
        budget = {"fee_budget_lamports_per_minute": 2 * FEE}  # two payments a minute
        pay_to = (fresh_pay_to(), fresh_svm_pay_to(svm_devnet))
        async with (
            gateway(db, evm_devnet, svm_devnet, budget, pay_to) as a,
            gateway(db, evm_devnet, svm_devnet, budget, pay_to) as b,  # a second process on the same ledger
        ):
            if time.time() % 60 > 45:  # the budget is per minute: start in a fresh one, so it cannot turn mid-test
                await asyncio.sleep(61 - time.time() % 60)
            req = next(r for r in a.book.terms(OFFER).accepts if r.network == svm_devnet.network).wire()
            payer = funded_payer(svm_devnet)
            payments = [{"PAYMENT-SIGNATURE": await asyncio.to_thread(pay, svm_devnet, req, payer)} for _ in range(3)]
            assert (await charge(a, payments[0])).status_code == 202
            assert (await charge(b, payments[1])).status_code == 202
            fee_payer_before = lamports(svm_devnet, svm_devnet.fee_payer)
            for gw in (a, b):
                out = await charge(gw, payments[2])
                assert answer(out) == (503, errors.FEE_BUDGET_EXHAUSTED), out
                assert 1 <= int(out.headers["Retry-After"]) <= 60 and out.job_id is None
                assert "budget" in out.body["message"]  # type: ignore[index]
            assert lamports(svm_devnet, svm_devnet.fee_payer) == fee_payer_before  # nothing co-signed or sent
            assert usdc(svm_devnet, str(payer.pubkey())) == 8 * PRICE
            # the 402 still offers Solana, and Base pays as before
            status, headers, _ = a.challenge(OFFER)
            assert status == 402 and svm_devnet.network in {
                r["network"] for r in decode_json(headers["PAYMENT-REQUIRED"])["accepts"]
            }
            base = await charge(a, v2_headers(a, sign(evm_devnet, evm_devnet.payers[0], evm_pay_to(a))))
            assert base.status_code == 202, base.body

    asyncio.run(main())


def test_a_budget_below_one_fee_sends_nothing(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        async with gateway(
            tmp_path / "f.db", svm=svm_devnet, svm_options={"fee_budget_lamports_per_minute": FEE - 1}
        ) as gw:
            payer = funded_payer(svm_devnet)
            fee_payer_before = lamports(svm_devnet, svm_devnet.fee_payer)
            out = await charge(
                gw, {"PAYMENT-SIGNATURE": await asyncio.to_thread(pay, svm_devnet, requirement(gw), payer)}
            )
            assert answer(out) == (503, errors.FEE_BUDGET_EXHAUSTED), out
            assert lamports(svm_devnet, svm_devnet.fee_payer) == fee_payer_before

    asyncio.run(main())


def test_the_priority_fee_cap(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    """Price × limit over the operator's cap (in lamports per payment) is refused; at the cap it pays."""

    async def main() -> None:
        async with gateway(tmp_path / "a.db", svm=svm_devnet, svm_options={"max_priority_fee_lamports": 1000}) as gw:
            payer = funded_payer(svm_devnet)
            req = requirement(gw)
            over = await asyncio.to_thread(pay, svm_devnet, req, payer, unit_price=50_001)  # × 20,000 units: 1001
            out = await charge(gw, {"PAYMENT-SIGNATURE": over})
            assert answer(out) == (402, svm_errors.COMPUTE_PRICE_TOO_HIGH), out
            assert "1001 lamports" in out.body["message"] and "1000" in out.body["message"]  # type: ignore[index]
            at_cap = await asyncio.to_thread(pay, svm_devnet, req, payer, unit_price=50_000)  # 1000 lamports
            assert (await charge(gw, {"PAYMENT-SIGNATURE": at_cap})).status_code == 202

    asyncio.run(main())


def test_the_default_priority_fee_cap_refuses_what_the_spec_caps_allow(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    """5 lamports per unit × 40,000 units (0.0002 SOL: about $0.03 of a $0.05 payment) passes the spec's caps; the
    default cap refuses it, and admits what the official clients send (1 micro-lamport × 20,000 units)."""

    async def main() -> None:
        async with gateway(tmp_path / "b.db", svm=svm_devnet) as gw:
            payer = funded_payer(svm_devnet)
            fee_payer_before = lamports(svm_devnet, svm_devnet.fee_payer)
            dear = await asyncio.to_thread(
                pay, svm_devnet, requirement(gw), payer, unit_price=5_000_000, unit_limit=40_000
            )
            out = await charge(gw, {"PAYMENT-SIGNATURE": dear})
            assert answer(out) == (402, svm_errors.COMPUTE_PRICE_TOO_HIGH), out
            assert lamports(svm_devnet, svm_devnet.fee_payer) == fee_payer_before
            usual = await asyncio.to_thread(pay, svm_devnet, requirement(gw), payer)  # as the official clients
            assert (await charge(gw, {"PAYMENT-SIGNATURE": usual})).status_code == 202

    asyncio.run(main())
