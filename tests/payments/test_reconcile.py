"""Start-up reconciliation: rows a crashed process left in `settling` are settled, released, or resent as is."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.devnet.anvil import EvmDevnet
from payments import errors
from payments.attempt import decode_attempt
from payments.evm import eip3009
from payments.evm.scheme import parse_authorization
from payments.gateway import LedgerNonces, PaymentGateway, new_payment
from tests.payments.conftest import (
    FINGERPRINT,
    OFFER,
    REQUEST_JSON,
    Fulfilments,
    balance,
    fresh_pay_to,
    now,
    sign,
    started_gateway,
    transfers_to,
    v2_headers,
)

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

DEAD = "dead-process"


async def _leave_settling(gw: PaymentGateway, payload: dict, send: bool) -> str:
    """Do what a process does up to the send (or past it), then 'crash': the row stays `settling`."""
    attempt = decode_attempt(v2_headers(gw, payload)["PAYMENT-SIGNATURE"], gw.book.terms(OFFER))
    reservation = await gw.ledger.reserve(new_payment(attempt, FINGERPRINT, REQUEST_JSON), DEAD)
    assert reservation.owned
    scheme = gw.schemes[attempt.network]
    assert attempt.evm is not None
    auth = parse_authorization(attempt.evm)
    sig = eip3009.split_signature(bytes.fromhex(attempt.evm.signature[2:]))
    data = eip3009.transfer_calldata(auth, sig)

    wallet = scheme.wallet
    assert wallet is not None
    nonces = LedgerNonces(gw.ledger, attempt.key, DEAD)
    if send:
        tx_hash = await wallet.send(scheme.asset.address, data, nonces)
        assert await scheme.rpc.wait_for_receipt(tx_hash, 10)
        return attempt.key
    max_fee, tip = await scheme.rpc.fees()
    floor = await scheme.rpc.transaction_count(wallet.address, "pending")

    def sign(nonce: int) -> tuple[str, str]:
        return wallet.signer.sign_eip1559(
            chain_id=wallet.chain_id, nonce=nonce, max_fee=max_fee, max_priority_fee=tip, gas=wallet.gas_limit,
            to=scheme.asset.address, data=data,
        )  # fmt: skip

    await nonces.sign(wallet.sender, floor, sign)  # signed and stored, never sent
    return attempt.key


def test_mined_settling_row_is_settled_and_fulfilled_once(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to, db = fresh_pay_to(), tmp_path / "f.db"
        payload = sign(evm_devnet, evm_devnet.payers[0], pay_to)
        async with started_gateway(evm_devnet, db, pay_to) as gw:
            key = await _leave_settling(gw, payload, send=True)
        fulfil = Fulfilments()
        async with started_gateway(evm_devnet, db, pay_to) as gw:
            counts = await gw.reconcile(fulfil)
            assert counts["settled"] == 1, counts
            row = await gw.ledger.get(key)
            assert row is not None and row.state == "job_created"
            assert [c.job_id for c in fulfil.calls] == [row.job_id]
            assert await gw.reconcile(fulfil) == {"settled": 0, "rejected": 0, "pending": 0, "released": 0}
            # the client's retry gets the job, no second transfer
            out = await gw.charge(v2_headers(gw, payload), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert out.status_code == 202 and out.job_id == row.job_id
            assert len(fulfil.calls) == 1 and len(await transfers_to(evm_devnet, pay_to)) == 1

    asyncio.run(main())


def test_unsent_expired_settling_row_is_rejected(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to, db = fresh_pay_to(), tmp_path / "f.db"
        payload = sign(evm_devnet, evm_devnet.payers[0], pay_to, valid_before=now() - 1)
        async with started_gateway(evm_devnet, db, pay_to) as gw:
            key = await _leave_settling(gw, payload, send=False)
        fulfil = Fulfilments()
        async with started_gateway(evm_devnet, db, pay_to) as gw:
            counts = await gw.reconcile(fulfil)
            assert counts["rejected"] == 1, counts
            row = await gw.ledger.get(key)
            assert row is not None and row.state == "rejected" and row.error_code == errors.NOT_CHARGED
            assert fulfil.calls == [] and await balance(evm_devnet, pay_to) == 0

    asyncio.run(main())


def test_unsent_valid_settling_row_is_resent_unchanged(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    """Still valid and never mined: reconcile sends the very bytes it stored (the same tx hash), nothing new."""

    async def main() -> None:
        pay_to, db = fresh_pay_to(), tmp_path / "f.db"
        payload = sign(evm_devnet, evm_devnet.payers[0], pay_to)
        async with started_gateway(evm_devnet, db, pay_to) as gw:
            key = await _leave_settling(gw, payload, send=False)
            stored = await gw.ledger.get(key)
        fulfil = Fulfilments()
        async with started_gateway(evm_devnet, db, pay_to) as gw:
            first = await gw.reconcile(fulfil)
            assert first["pending"] == 1, first
            await asyncio.sleep(0.2)
            second = await gw.reconcile(fulfil)
            assert second["settled"] == 1, second
            row = await gw.ledger.get(key)
            assert row is not None and row.state == "job_created" and row.tx_hash == stored.tx_hash
            transfers = await transfers_to(evm_devnet, pay_to)
            assert [t["transactionHash"] for t in transfers] == [stored.tx_hash]
            assert len(fulfil.calls) == 1
            # the wallet re-read its nonce: a new payment still settles
            out = await gw.charge(
                v2_headers(gw, sign(evm_devnet, evm_devnet.payers[1], pay_to)), OFFER, FINGERPRINT, "{}", fulfil
            )
            assert out.status_code == 202, out.body

    asyncio.run(main())
