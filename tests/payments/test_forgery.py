"""A forged payment never gets another payer's job: the offline signature check comes before any stored answer,
any 409 and any in-flight copy. The payer and nonce of a settled EIP-3009 authorization are public (the token's
`AuthorizationUsed` log); a header carrying them with a bad signature must answer 402, never the job or a 409."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

import pytest
from solders.keypair import Keypair
from solders.message import to_bytes_versioned
from solders.transaction import VersionedTransaction

from app.devnet.anvil import EvmDevnet
from app.devnet.litesvm import SvmDevnet
from app.devnet.solana_payer import x402_header
from payments import errors
from payments.codec import decode_json
from payments.gateway import Outcome, PaymentGateway
from payments.svm import errors as svm_errors
from tests.paid import svm_devnet_fixture  # noqa: F401 - registers svm_devnet
from tests.payments.conftest import (
    FINGERPRINT,
    OFFER,
    REQUEST_JSON,
    Fulfilments,
    fresh_pay_to,
    now,
    sign,
    started_gateway,
    v2_headers,
)
from tests.payments.test_svm_gateway import fresh_pay_to as fresh_svm_pay_to
from tests.payments.test_svm_gateway import funded_payer, pay, requirement, started

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

OTHER_FINGERPRINT = "POST /api/x402/forge another-body"


def forged_evm(genuine: dict[str, Any], signature: str) -> dict[str, Any]:
    return {"signature": signature, "authorization": dict(genuine["authorization"])}


async def _all_refused(gw: PaymentGateway, headers: list[dict[str, str]], code: str, fulfil: Fulfilments) -> None:
    for header in headers:
        for fingerprint, request_json in ((FINGERPRINT, REQUEST_JSON), (OTHER_FINGERPRINT, "{}")):
            out = await gw.charge(header, OFFER, fingerprint, request_json, fulfil)
            assert (out.status_code, out.body and out.body["error"]) == (402, code), out
            assert out.job_id is None
            assert "PAYMENT-RESPONSE" not in out.headers


def test_a_forged_evm_signature_gets_402_not_the_settled_job(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            genuine = sign(evm_devnet, evm_devnet.payers[0], pay_to)
            first = await gw.charge(v2_headers(gw, genuine), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert first.status_code == 202, first.body
            stranger = sign(evm_devnet, evm_devnet.payers[1], pay_to, nonce=genuine["authorization"]["nonce"])
            forgeries = [
                forged_evm(genuine, "0x" + "00" * 65),
                forged_evm(genuine, "0xabcd"),
                forged_evm(genuine, stranger["signature"]),  # another signer's signature of the same authorization
            ]
            await _all_refused(gw, [v2_headers(gw, f) for f in forgeries], errors.INVALID_SIGNATURE, fulfil)
            assert len(fulfil.calls) == 1
            assert await gw.charge(v2_headers(gw, genuine), OFFER, FINGERPRINT, REQUEST_JSON, fulfil) == first

    asyncio.run(main())


def test_a_genuine_resend_after_valid_before_still_gets_its_job(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    """The offline check is the signature only: a settled payment's authorization that has since expired is still
    that payment, and its resend (a lost answer) gets the stored job."""

    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            genuine = v2_headers(gw, sign(evm_devnet, evm_devnet.payers[0], pay_to, valid_before=now() + 8))
            first = await gw.charge(genuine, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert first.status_code == 202, first.body
            valid_before = int(decode_json(genuine["PAYMENT-SIGNATURE"])["payload"]["authorization"]["validBefore"])
            while now() <= valid_before:
                await asyncio.sleep(0.2)
            assert await gw.charge(genuine, OFFER, FINGERPRINT, REQUEST_JSON, fulfil) == first
            assert len(fulfil.calls) == 1

    asyncio.run(main())


def test_a_forged_evm_copy_does_not_join_the_genuine_payment_in_flight(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            genuine = sign(evm_devnet, evm_devnet.payers[0], pay_to)
            flight = asyncio.create_task(gw.charge(v2_headers(gw, genuine), OFFER, FINGERPRINT, REQUEST_JSON, fulfil))
            while not gw._flights:  # until the genuine payment is in flight in this gateway
                assert not flight.done(), flight.result()
                await asyncio.sleep(0.001)
            forged = v2_headers(gw, forged_evm(genuine, "0x" + "00" * 65))
            out = await gw.charge(forged, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert (out.status_code, out.body and out.body["error"]) == (402, errors.INVALID_SIGNATURE), out
            assert out.job_id is None
            assert (await flight).status_code == 202

    asyncio.run(main())


def _with_signature(header: str, slot: int, signature: bytes) -> str:
    """The same SVM payment (same message, so the same ledger key) with signature `slot` replaced."""
    body = decode_json(header)
    tx = VersionedTransaction.from_bytes(base64.b64decode(body["payload"]["transaction"]))
    raw = bytearray(bytes(tx))
    start = 1 + 64 * slot  # one compact-u16 length byte, then 64 bytes per signature
    raw[start : start + 64] = signature
    return x402_header(body["accepted"], bytes(raw))


def test_a_forged_svm_signature_gets_402_not_the_settled_job(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_svm_pay_to(svm_devnet)
        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            payer = funded_payer(svm_devnet)
            genuine = await asyncio.to_thread(pay, svm_devnet, requirement(gw), payer)
            first = await gw.charge({"PAYMENT-SIGNATURE": genuine}, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert first.status_code == 202, first.body
            tx = VersionedTransaction.from_bytes(base64.b64decode(decode_json(genuine)["payload"]["transaction"]))
            message = to_bytes_versioned(tx.message)
            forgeries = [
                _with_signature(genuine, 1, bytes(64)),
                _with_signature(genuine, 1, bytes(Keypair().sign_message(message))),
            ]
            headers = [{"PAYMENT-SIGNATURE": f} for f in forgeries]
            await _all_refused(gw, headers, svm_errors.SIGNATURE_INVALID, fulfil)
            assert len(fulfil.calls) == 1
            again: Outcome = await gw.charge({"PAYMENT-SIGNATURE": genuine}, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert again == first

    asyncio.run(main())
