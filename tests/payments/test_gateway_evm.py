"""PaymentGateway.charge against a real local anvil: one payment, one transfer, whatever the client does."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from app.devnet.anvil import EvmDevnet
from payments import errors
from payments.codec import decode_json
from payments.evm.scheme import MAX_CLOCK_SKEW_SECONDS
from payments.gateway import LedgerNonces, new_payment
from tests import backends
from tests.devnet import high_s, send_transfer_with_authorization
from tests.payments.conftest import (
    FINGERPRINT,
    OFFER,
    PRICE,
    REQUEST_JSON,
    Fulfilments,
    accepted_of,
    balance,
    fresh_pay_to,
    now,
    sign,
    started_gateway,
    transfers_to,
    v1_headers,
    v2_headers,
)

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL


def test_good_payment_settles_once_and_replays(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            headers = v2_headers(gw, sign(evm_devnet, evm_devnet.payers[0], pay_to))
            first = await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert first.status_code == 202, first.body
            assert first.body is None and first.job_id
            assert first.headers["Cache-Control"] == "no-store"
            assert "PAYMENT-RESPONSE" in first.headers["Access-Control-Expose-Headers"]
            response = decode_json(first.headers["PAYMENT-RESPONSE"])
            assert response["success"] is True and response["network"] == "eip155:84532"
            assert response["payer"].lower() == evm_devnet.payers[0].address.lower()
            assert await balance(evm_devnet, pay_to) == PRICE
            assert len(await transfers_to(evm_devnet, pay_to)) == 1
            assert [c.job_id for c in fulfil.calls] == [first.job_id]
            assert fulfil.calls[0].transaction == response["transaction"]
            assert fulfil.calls[0].amount == PRICE and fulfil.calls[0].request_json == REQUEST_JSON

            again = await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert again == first  # same job, same PAYMENT-RESPONSE
            assert len(fulfil.calls) == 1
            assert len(await transfers_to(evm_devnet, pay_to)) == 1

            other = await gw.charge(headers, OFFER, "POST /api/x402/forge other-body", "{}", fulfil)
            assert other.status_code == 409 and other.body["error"] == errors.PAYMENT_CONFLICT
            assert await balance(evm_devnet, pay_to) == PRICE

        # a restarted gateway on the same ledger still knows the payment
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw2:
            replay = await gw2.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert replay == first and len(fulfil.calls) == 1

    asyncio.run(main())


def test_v1_payment_settles(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            out = await gw.charge(
                v1_headers(sign(evm_devnet, evm_devnet.payers[1], pay_to)), OFFER, FINGERPRINT, REQUEST_JSON, fulfil
            )
            assert out.status_code == 202, out.body
            response = decode_json(out.headers["X-PAYMENT-RESPONSE"])
            assert response["success"] is True and response["network"] == "base-sepolia"
            assert await balance(evm_devnet, pay_to) == PRICE

    asyncio.run(main())


def _bad_cases(devnet: EvmDevnet, gw: Any, pay_to: str) -> list[tuple[str, dict[str, str], int, str]]:
    payer, poor = devnet.payers[0], None
    cases: list[tuple[str, dict[str, str], int, str]] = []

    def v2(payload: dict[str, Any], **kw: Any) -> dict[str, str]:
        return v2_headers(gw, payload, **kw)

    cases.append(("wrong payTo", v2(sign(devnet, payer, fresh_pay_to())), 402, errors.RECIPIENT_MISMATCH))
    cases.append(("one unit short", v2(sign(devnet, payer, pay_to, PRICE - 1)), 402, errors.VALUE_MISMATCH))
    cases.append(("one unit over", v2(sign(devnet, payer, pay_to, PRICE + 1)), 402, errors.VALUE_MISMATCH))
    expired = sign(devnet, payer, pay_to, valid_after=now() - 600, valid_before=now() - 1)
    cases.append(("validBefore in the past", v2(expired), 402, errors.VALID_BEFORE))
    cases.append(("validBefore too close", v2(sign(devnet, payer, pay_to, valid_before=now() + 2)), 402,
                  errors.VALID_BEFORE))  # fmt: skip
    cases.append(("validBefore in the year 2286", v2(sign(devnet, payer, pay_to, valid_before=9_999_999_999)), 402,
                  errors.VALID_BEFORE))  # fmt: skip
    cases.append(("validBefore past maxTimeoutSeconds and the skew",
                  v2(sign(devnet, payer, pay_to, valid_before=now() + 120 + MAX_CLOCK_SKEW_SECONDS + 30)), 402,
                  errors.VALID_BEFORE))  # fmt: skip
    cases.append(("validAfter in the future", v2(sign(devnet, payer, pay_to, valid_after=now() + 120)), 402,
                  errors.VALID_AFTER))  # fmt: skip
    cases.append(("signed for chain 8453", v2(sign(devnet, payer, pay_to, chain_id=8453)), 402,
                  errors.INVALID_SIGNATURE))  # fmt: skip
    wrong_net = {**accepted_of(gw), "network": "eip155:8453"}
    cases.append(("network eip155:8453", v2(sign(devnet, payer, pay_to), accepted=wrong_net), 402,
                  errors.INVALID_NETWORK))  # fmt: skip
    cases.append(("v1 network base", v1_headers(sign(devnet, payer, pay_to), network="base"), 402,
                  errors.INVALID_NETWORK))  # fmt: skip
    other_asset = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
    cases.append(("signed for another asset", v2(sign(devnet, payer, pay_to, asset=other_asset)), 402,
                  errors.INVALID_SIGNATURE))  # fmt: skip
    cases.append(("accepted names another asset",
                  v2(sign(devnet, payer, pay_to), accepted={**accepted_of(gw), "asset": other_asset}), 402,
                  errors.INVALID_PAYMENT_REQUIREMENTS))  # fmt: skip
    cases.append(("wrong EIP-712 name", v2(sign(devnet, payer, pay_to, name="USD Coin")), 402,
                  errors.INVALID_SIGNATURE))  # fmt: skip
    forged = sign(devnet, devnet.payers[1], pay_to)
    forged["authorization"]["from"] = payer.address  # signed by another key
    cases.append(("signature by another key", v2(forged), 402, errors.INVALID_SIGNATURE))
    truncated = sign(devnet, payer, pay_to)
    truncated["signature"] = truncated["signature"][:-2]
    cases.append(("truncated signature", v2(truncated), 402, errors.INVALID_SIGNATURE))
    garbage = sign(devnet, payer, pay_to)
    garbage["signature"] = "0xzz" + garbage["signature"][4:]
    cases.append(("signature not hex", v2(garbage), 400, errors.INVALID_PAYLOAD))
    twin = sign(devnet, payer, pay_to)
    twin["signature"] = high_s(twin["signature"])
    cases.append(("high-s signature", v2(twin), 402, errors.INVALID_SIGNATURE))
    for field, value in (("amount", str(PRICE - 1)), ("payTo", fresh_pay_to()), ("maxTimeoutSeconds", 9999),
                         ("extra", {"name": "USD Coin", "version": "2"})):  # fmt: skip
        accepted = {**accepted_of(gw), field: value}
        cases.append((f"accepted.{field} differs", v2(sign(devnet, payer, pay_to), accepted=accepted), 402,
                      errors.INVALID_PAYMENT_REQUIREMENTS))  # fmt: skip
    cases.append(("scheme upto", v2(sign(devnet, payer, pay_to), accepted={**accepted_of(gw), "scheme": "upto"}),
                  402, errors.UNSUPPORTED_SCHEME))  # fmt: skip
    del poor
    return cases


def test_bad_payments_are_refused_without_moving_money(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            before = await balance(evm_devnet, evm_devnet.payers[0].address)
            for label, headers, status, code in _bad_cases(evm_devnet, gw, pay_to):
                out = await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
                assert (out.status_code, out.body["error"]) == (status, code), (label, out.body)
                assert out.job_id is None and out.body["message"], label
                if status == 402:
                    assert "PAYMENT-REQUIRED" in out.headers, label
                    assert out.body["x402Version"] == 1 and out.body["accepts"], label
            assert fulfil.calls == []
            assert await balance(evm_devnet, pay_to) == 0
            assert await balance(evm_devnet, evm_devnet.payers[0].address) == before

    asyncio.run(main())


def test_nonce_used_on_chain_and_poor_payer(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            # the payer (or anyone) submitted the authorization elsewhere first
            used = sign(evm_devnet, evm_devnet.payers[2], pay_to)
            await asyncio.to_thread(send_transfer_with_authorization, evm_devnet, used)
            assert await balance(evm_devnet, pay_to) == PRICE
            out = await gw.charge(v2_headers(gw, used), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert (out.status_code, out.body["error"]) == (402, errors.NONCE_ALREADY_USED)

            # a payer without enough USDC: a fresh key holding nothing
            from eth_account import Account

            from app.devnet.anvil import Payer

            acct = Account.create()
            poor = Payer(acct.address, "0x" + bytes(acct.key).hex())
            out = await gw.charge(
                v2_headers(gw, sign(evm_devnet, poor, pay_to)), OFFER, FINGERPRINT, REQUEST_JSON, fulfil
            )
            assert (out.status_code, out.body["error"]) == (402, errors.INSUFFICIENT_FUNDS)
            assert fulfil.calls == [] and await balance(evm_devnet, pay_to) == PRICE

    asyncio.run(main())


def test_rejected_payment_can_be_retried_when_corrected(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    """A refusal moved nothing: the same authorization, under a corrected request, goes through."""

    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            payload = sign(evm_devnet, evm_devnet.payers[0], pay_to)
            bad = {**accepted_of(gw), "maxTimeoutSeconds": 1}
            out = await gw.charge(v2_headers(gw, payload, accepted=bad), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert out.status_code == 402
            # refused before reserving (decode); now refused by verification (reserved, then rejected) ...
            late = sign(evm_devnet, evm_devnet.payers[0], pay_to, valid_after=now() + 3600)
            out = await gw.charge(v2_headers(gw, late), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert out.body["error"] == errors.VALID_AFTER
            row = await gw.ledger.get(_key(evm_devnet, late))
            assert row is not None and row.state == "rejected" and row.error_code == errors.VALID_AFTER
            # ... and the good one settles
            out = await gw.charge(v2_headers(gw, payload), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert out.status_code == 202

    asyncio.run(main())


def _key(devnet: EvmDevnet, payload: dict[str, Any]) -> str:
    a = payload["authorization"]
    return f"eip155:{devnet.chain_id}:{devnet.usdc}:{a['from']}:{a['nonce']}".lower()


def test_twenty_concurrent_copies_settle_once(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            headers = v2_headers(gw, sign(evm_devnet, evm_devnet.payers[0], pay_to))
            outs = await asyncio.gather(
                *(gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil) for _ in range(20))
            )
            assert {o.status_code for o in outs} == {202}
            assert len({o.job_id for o in outs}) == 1
            assert len({o.headers["PAYMENT-RESPONSE"] for o in outs}) == 1
            assert len(fulfil.calls) == 1
            assert len(await transfers_to(evm_devnet, pay_to)) == 1
            assert await balance(evm_devnet, pay_to) == PRICE

    asyncio.run(main())


def test_concurrent_copies_across_two_gateways(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    """Two gateways on one ledger (two worker processes, in effect): still one settlement, one job."""

    async def main() -> None:
        pay_to = fresh_pay_to()
        db = tmp_path / "f.db"
        async with started_gateway(evm_devnet, db, pay_to) as a, started_gateway(evm_devnet, db, pay_to) as b:
            fulfil = Fulfilments()
            headers = v2_headers(a, sign(evm_devnet, evm_devnet.payers[1], pay_to))
            outs = await asyncio.gather(
                *(gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil) for gw in [a, b] * 5)
            )
            assert {o.status_code for o in outs} == {202} and len({o.job_id for o in outs}) == 1
            assert len(fulfil.calls) == 1 and len(await transfers_to(evm_devnet, pay_to)) == 1

    asyncio.run(main())


def test_payment_identifier(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            pid = "pay_" + os.urandom(12).hex()
            payload = sign(evm_devnet, evm_devnet.payers[0], pay_to)
            first = await gw.charge(v2_headers(gw, payload, payment_id=pid), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert first.status_code == 202
            # the same id and payload: the stored answer, PAYMENT-RESPONSE included
            again = await gw.charge(v2_headers(gw, payload, payment_id=pid), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert again == first
            # the same id with another payment: conflict, before any verification or transfer
            other = sign(evm_devnet, evm_devnet.payers[0], pay_to)
            out = await gw.charge(v2_headers(gw, other, payment_id=pid), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert (out.status_code, out.body["error"]) == (409, errors.PAYMENT_IDENTIFIER_CONFLICT)
            bad = await gw.charge(v2_headers(gw, other, payment_id="short"), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert bad.status_code == 400
            assert len(fulfil.calls) == 1 and len(await transfers_to(evm_devnet, pay_to)) == 1

    asyncio.run(main())


def test_no_header_and_malformed_header(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        async with started_gateway(evm_devnet, tmp_path / "f.db") as gw:
            fulfil = Fulfilments()
            out = await gw.charge({}, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert out.status_code == 402 and "PAYMENT-REQUIRED" in out.headers
            out = await gw.charge({"payment-signature": "%%%"}, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert (out.status_code, out.body["error"]) == (400, errors.INVALID_PAYLOAD)
            out = await gw.charge({"X-PAYMENT": "A" * 20_000}, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert out.status_code == 400 and "limit" in out.body["message"]

    asyncio.run(main())


def test_start_refuses_a_chain_that_is_not_the_configured_one(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    from payments.gateway import ConfigurationError, EvmNetworkConfig, PaymentConfig, PaymentGateway

    async def main() -> None:
        net = EvmNetworkConfig("eip155:8453", evm_devnet.rpc_url, fresh_pay_to(), evm_devnet.facilitator_private_key)
        gw = PaymentGateway(PaymentConfig([net]), backends.current().ledger_for(tmp_path / "f.db"))
        try:
            with pytest.raises(ConfigurationError, match="is chain 84532, expected 8453"):
                await gw.start()
        finally:
            await gw.close()

    asyncio.run(main())


def test_front_run_authorization_still_counts_when_it_paid_us(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    """Someone submits the authorization between our verify and our send: ours reverts, theirs paid payTo."""

    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            from payments.attempt import decode_attempt

            payload = sign(evm_devnet, evm_devnet.payers[0], pay_to)
            attempt = decode_attempt(v2_headers(gw, payload)["PAYMENT-SIGNATURE"], gw.book.terms(OFFER))
            verified = await gw.facilitator.verify(attempt)
            front_runner = evm_devnet.payers[1].private_key
            theirs = await asyncio.to_thread(send_transfer_with_authorization, evm_devnet, payload, "vrs", front_runner)
            row = (await gw.ledger.reserve(new_payment(attempt, FINGERPRINT, REQUEST_JSON), "me")).row

            async def on_signed(tx_hash: str, raw: str) -> None:
                raise AssertionError("an EVM settlement is stored with its nonce, by the ledger")

            result = await gw.facilitator.settle(verified, on_signed, LedgerNonces(gw.ledger, row.key, "me"))
            assert result.transaction == "0x" + bytes(theirs["transactionHash"]).hex()
            ours = await gw.ledger.get(row.key)  # ours was stored, sent once and reverted
            assert ours is not None and ours.tx_hash and ours.tx_hash != result.transaction
            assert await balance(evm_devnet, pay_to) == PRICE

    asyncio.run(main())
