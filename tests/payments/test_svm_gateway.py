"""PaymentGateway.charge on Solana, against the local LiteSVM devnet: one payment, one transfer, whatever the client
sends. Every bad payment is refused with a reason, and none moves a token or a lamport."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import MessageV0, to_bytes_versioned
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.token.associated import get_associated_token_address
from solders.transaction import VersionedTransaction

from app.devnet.litesvm import SvmDevnet, rpc
from app.devnet.solana_payer import (
    MEMO_PROGRAM,
    latest_blockhash,
    memo,
    partially_signed,
    payment_instructions,
    transfer_checked,
    x402_header,
)
from payments import errors
from payments.codec import decode_json, encode_header
from payments.gateway import PaymentConfig, PaymentGateway, SvmNetworkConfig
from payments.svm import errors as svm_errors
from payments.svm.transaction import TOKEN_2022_PROGRAM
from tests import backends
from tests.paid import lamports, svm_devnet_fixture, transaction_fee, usdc  # noqa: F401 - registers svm_devnet
from tests.payments.conftest import FINGERPRINT, OFFER, PRICE, REQUEST_JSON, Fulfilments, running

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL


def fresh_pay_to(devnet: SvmDevnet) -> str:
    """A new merchant wallet with an empty USDC token account."""
    owner = str(Keypair().pubkey())
    rpc(devnet.rpc_url, "x_setTokenBalance", owner, devnet.usdc_mint, 0)
    return owner


def funded_payer(devnet: SvmDevnet, amount: int = 10 * PRICE) -> Keypair:
    payer = Keypair()
    rpc(devnet.rpc_url, "x_setTokenBalance", str(payer.pubkey()), devnet.usdc_mint, amount)
    return payer


@asynccontextmanager
async def started(devnet: SvmDevnet, db: Path, pay_to: str) -> AsyncIterator[PaymentGateway]:
    config = PaymentConfig(svm=[SvmNetworkConfig(devnet.network, devnet.rpc_url, pay_to, devnet.fee_payer_key)])
    async with running(config, db) as gw:
        yield gw


def requirement(gw: PaymentGateway) -> dict[str, Any]:
    return gw.book.terms(OFFER).accepts[0].wire()


def pay(devnet: SvmDevnet, req: dict[str, Any], payer: Keypair, **overrides: Any) -> str:
    """A PAYMENT-SIGNATURE header; overrides go to `payment_instructions`, plus fee_payer / signers / lookups."""
    fee_payer = overrides.pop("fee_payer", Pubkey.from_string(req["extra"]["feePayer"]))
    signers = overrides.pop("signers", [payer])
    instructions = overrides.pop("instructions", None) or payment_instructions(payer.pubkey(), req, **overrides)
    tx = partially_signed(instructions, fee_payer, signers, latest_blockhash(devnet.rpc_url))
    return x402_header(req, tx)


def test_good_payment_settles_once_and_replays(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to(svm_devnet)
        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            req = requirement(gw)
            assert req["network"] == "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
            assert req["extra"] == {"feePayer": svm_devnet.fee_payer}
            payer = funded_payer(svm_devnet)
            fee_payer_before = lamports(svm_devnet, svm_devnet.fee_payer)
            headers = {"PAYMENT-SIGNATURE": pay(svm_devnet, req, payer)}
            first = await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert first.status_code == 202, first.body
            response = decode_json(first.headers["PAYMENT-RESPONSE"])
            assert response["success"] is True and response["network"] == req["network"]
            assert response["payer"] == str(payer.pubkey())
            assert usdc(svm_devnet, pay_to) == PRICE
            assert usdc(svm_devnet, str(payer.pubkey())) == 9 * PRICE
            fee = transaction_fee(svm_devnet, response["transaction"])
            assert fee == 2 * 5000 + 1  # two signatures + 1 micro-lamport × 20,000 units, rounded up
            assert fee_payer_before - lamports(svm_devnet, svm_devnet.fee_payer) == fee
            assert [c.job_id for c in fulfil.calls] == [first.job_id]

            again = await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert again == first and len(fulfil.calls) == 1
            other = await gw.charge(headers, OFFER, "POST /api/x402/forge other", "{}", fulfil)
            assert other.status_code == 409 and other.body["error"] == errors.PAYMENT_CONFLICT
            assert usdc(svm_devnet, pay_to) == PRICE

        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw2:  # a restart still knows it
            assert await gw2.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil) == first

    asyncio.run(main())


def test_v1_payment_settles(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to(svm_devnet)
        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw:
            req = requirement(gw)
            payer = funded_payer(svm_devnet)
            tx = partially_signed(
                payment_instructions(payer.pubkey(), req),
                Pubkey.from_string(svm_devnet.fee_payer),
                [payer],
                latest_blockhash(svm_devnet.rpc_url),
            )
            out = await gw.charge(
                {"X-PAYMENT": x402_header(req, tx, 1)}, OFFER, FINGERPRINT, REQUEST_JSON, Fulfilments()
            )
            assert out.status_code == 202, out.body
            response = decode_json(out.headers["X-PAYMENT-RESPONSE"])
            assert response["success"] is True and response["network"] == "solana-devnet"
            assert usdc(svm_devnet, pay_to) == PRICE

    asyncio.run(main())


Case = tuple[str, Callable[[], dict[str, str]], int, str]


def _bad_cases(devnet: SvmDevnet, req: dict[str, Any], payer: Keypair, pay_to: str) -> list[Case]:
    ours = Pubkey.from_string(devnet.fee_payer)
    mint = Pubkey.from_string(devnet.usdc_mint)
    stranger = Keypair()

    def header(**kw: Any) -> Callable[[], dict[str, str]]:
        return lambda: {"PAYMENT-SIGNATURE": pay(devnet, req, payer, **kw)}

    def lookup_table() -> dict[str, str]:
        ixs = payment_instructions(payer.pubkey(), req)
        table = AddressLookupTableAccount(
            Keypair().pubkey(), [get_associated_token_address(Pubkey.from_string(pay_to), mint)]
        )
        message = MessageV0.try_compile(ours, ixs, [table], latest_blockhash(devnet.rpc_url))
        signatures = [Signature.default(), payer.sign_message(to_bytes_versioned(message))]
        return {"PAYMENT-SIGNATURE": x402_header(req, VersionedTransaction.populate(message, signatures))}

    def forged() -> dict[str, str]:
        body = decode_json(pay(devnet, req, payer))
        raw = bytearray(base64.b64decode(body["payload"]["transaction"]))
        raw[1 + 64 + 10] ^= 0xFF  # flip a byte of the payer's signature (slot 1)
        body["payload"]["transaction"] = base64.b64encode(bytes(raw)).decode()
        return {"PAYMENT-SIGNATURE": x402_header(req, body["payload"]["transaction"])}

    system_transfer = transfer(TransferParams(from_pubkey=ours, to_pubkey=payer.pubkey(), lamports=10**9))
    foreign_program = Instruction(Keypair().pubkey(), b"\x01", [])
    our_key_as_signer = Instruction(MEMO_PROGRAM, b"hi", [AccountMeta(ours, True, False)])
    cases: list[Case] = [
        (
            "transfer to another account",
            header(destination=get_associated_token_address(Keypair().pubkey(), mint)),
            402,
            svm_errors.RECIPIENT_MISMATCH,
        ),
        (
            "transfer to payTo's wallet, not its token account",
            header(destination=Pubkey.from_string(pay_to)),
            402,
            svm_errors.RECIPIENT_MISMATCH,
        ),
        ("wrong mint", header(mint=Keypair().pubkey()), 402, svm_errors.MINT_MISMATCH),
        ("one unit short", header(amount=PRICE - 1), 402, svm_errors.AMOUNT_MISMATCH),
        ("one unit over", header(amount=PRICE + 1), 402, svm_errors.AMOUNT_MISMATCH),
        ("wrong decimals", header(decimals=9), 402, svm_errors.DECIMALS_MISMATCH),
        (
            "extra SystemProgram transfer from our fee payer",
            header(extra=[system_transfer]),
            402,
            svm_errors.UNKNOWN_INSTRUCTION,
        ),
        ("our fee payer as transfer authority", header(authority=ours), 402, svm_errors.FEE_PAYER_TRANSFERRING_FUNDS),
        ("our fee payer signs a memo", header(extra=[our_key_as_signer]), 402, svm_errors.FEE_PAYER_TRANSFERRING_FUNDS),
        (
            "our fee payer in a non-zero slot",
            header(fee_payer=payer.pubkey(), extra=[our_key_as_signer]),
            402,
            svm_errors.FEE_PAYER_MISMATCH,
        ),
        (
            "a fee payer that is not ours",
            header(fee_payer=stranger.pubkey(), signers=[payer, stranger]),
            402,
            svm_errors.FEE_PAYER_MISMATCH,
        ),
        (
            "compute unit price over 5 lamports/unit",
            header(unit_price=5_000_001),
            402,
            svm_errors.COMPUTE_PRICE_TOO_HIGH,
        ),
        ("compute unit limit over the cap", header(unit_limit=1_400_000), 402, svm_errors.COMPUTE_LIMIT_TOO_HIGH),
        ("unknown program instruction", header(extra=[foreign_program]), 402, svm_errors.UNKNOWN_INSTRUCTION),
        ("too many instructions", header(extra=[memo(), memo(), memo()]), 402, svm_errors.INSTRUCTIONS_LENGTH),
        (
            "no compute budget",
            header(instructions=[*payment_instructions(payer.pubkey(), req)[2:], memo()]),
            402,
            svm_errors.COMPUTE_LIMIT_INSTRUCTION,
        ),
        ("address lookup table", lookup_table, 402, svm_errors.ADDRESS_LOOKUP_TABLES),
        ("missing payer signature", header(signers=[]), 402, svm_errors.SIGNATURE_INVALID),
        ("forged payer signature", forged, 402, svm_errors.SIGNATURE_INVALID),
        (
            "Token-2022 transfer for a Token mint",
            header(instructions=_with_program(payer, req, TOKEN_2022_PROGRAM)),
            402,
            svm_errors.RECIPIENT_MISMATCH,
        ),
        (
            "payload not base64",
            lambda: {"PAYMENT-SIGNATURE": x402_header(req, "%%%not base64%%%")},
            400,
            svm_errors.COULD_NOT_DECODE,
        ),
        (
            "payload not a transaction",
            lambda: {"PAYMENT-SIGNATURE": x402_header(req, b"\x01" * 200)},
            400,
            svm_errors.COULD_NOT_DECODE,
        ),
        (
            "payload of 1 MB",
            lambda: {"PAYMENT-SIGNATURE": x402_header(req, b"\x00" * (1 << 20))},
            400,
            errors.INVALID_PAYLOAD,
        ),
    ]
    return cases


def _with_program(payer: Keypair, req: dict[str, Any], program: Pubkey) -> list[Instruction]:
    ixs = payment_instructions(payer.pubkey(), req)
    t = ixs[2]
    accounts = [a.pubkey for a in t.accounts]
    ixs[2] = transfer_checked(accounts[0], accounts[1], accounts[2], accounts[3], int(req["amount"]), 6, program)
    return ixs


def test_bad_payments_are_refused_without_moving_anything(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to(svm_devnet)
        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            req = requirement(gw)
            payer = funded_payer(svm_devnet)
            fee_payer_before = lamports(svm_devnet, svm_devnet.fee_payer)
            for label, make, status, code in _bad_cases(svm_devnet, req, payer, pay_to):
                headers = await asyncio.to_thread(make)
                out = await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
                assert (out.status_code, out.body["error"]) == (status, code), (label, out.body)
                assert out.job_id is None and out.body["message"], label
                if status == 402:
                    assert "PAYMENT-REQUIRED" in out.headers, label
            assert fulfil.calls == []
            assert usdc(svm_devnet, pay_to) == 0
            assert usdc(svm_devnet, str(payer.pubkey())) == 10 * PRICE
            assert lamports(svm_devnet, svm_devnet.fee_payer) == fee_payer_before

    asyncio.run(main())


def test_expired_blockhash_and_a_poor_payer(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to(svm_devnet)
        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            req = requirement(gw)
            payer = funded_payer(svm_devnet)
            fee_payer_before = lamports(svm_devnet, svm_devnet.fee_payer)
            stale = await asyncio.to_thread(pay, svm_devnet, req, payer)
            rpc(svm_devnet.rpc_url, "x_advanceBlocks", 151)
            out = await gw.charge({"PAYMENT-SIGNATURE": stale}, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert (out.status_code, out.body["error"]) == (402, svm_errors.BLOCKHASH_EXPIRED), out.body
            assert "sign again" in out.body["message"]
            poor = funded_payer(svm_devnet, PRICE - 1)
            out = await gw.charge(
                {"PAYMENT-SIGNATURE": await asyncio.to_thread(pay, svm_devnet, req, poor)},
                OFFER,
                FINGERPRINT,
                REQUEST_JSON,
                fulfil,
            )
            assert (out.status_code, out.body["error"]) == (402, errors.INSUFFICIENT_FUNDS), out.body
            assert fulfil.calls == [] and usdc(svm_devnet, pay_to) == 0
            assert lamports(svm_devnet, svm_devnet.fee_payer) == fee_payer_before
            # a fresh signature of the same payment goes through
            out = await gw.charge(
                {"PAYMENT-SIGNATURE": await asyncio.to_thread(pay, svm_devnet, req, payer)},
                OFFER,
                FINGERPRINT,
                REQUEST_JSON,
                fulfil,
            )
            assert out.status_code == 202, out.body

    asyncio.run(main())


def test_twenty_concurrent_copies_settle_once(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to(svm_devnet)
        db = tmp_path / "f.db"
        async with started(svm_devnet, db, pay_to) as a, started(svm_devnet, db, pay_to) as b:
            fulfil = Fulfilments()
            payer = funded_payer(svm_devnet)
            headers = {"PAYMENT-SIGNATURE": await asyncio.to_thread(pay, svm_devnet, requirement(a), payer)}
            outs = await asyncio.gather(
                *(gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil) for gw in [a, b] * 10)
            )
            assert {o.status_code for o in outs} == {202}, [o.body for o in outs]
            assert len({o.job_id for o in outs}) == 1
            assert len({o.headers["PAYMENT-RESPONSE"] for o in outs}) == 1
            assert len(fulfil.calls) == 1
            assert usdc(svm_devnet, pay_to) == PRICE

    asyncio.run(main())


def test_a_transaction_that_lands_but_fails_is_not_a_payment(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    """Verified, co-signed and sent; before it lands the payer empties the account: it lands with an error."""

    async def main() -> None:
        pay_to = fresh_pay_to(svm_devnet)
        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            payer = funded_payer(svm_devnet, PRICE)
            headers = {"PAYMENT-SIGNATURE": await asyncio.to_thread(pay, svm_devnet, requirement(gw), payer)}
            rpc(svm_devnet.rpc_url, "x_holdSends", True)
            try:
                charge = asyncio.create_task(gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil))
                deadline = time.monotonic() + 30
                while rpc(svm_devnet.rpc_url, "x_heldCount") == 0:
                    assert time.monotonic() < deadline, "the settlement was never sent"
                    await asyncio.sleep(0.01)
                rpc(svm_devnet.rpc_url, "x_setTokenBalance", str(payer.pubkey()), svm_devnet.usdc_mint, 0)
                released = rpc(svm_devnet.rpc_url, "x_releaseHeld")
            finally:
                rpc(svm_devnet.rpc_url, "x_holdSends", False)
            assert released[0]["landed"] and released[0]["err"], released
            out = await charge
            assert (out.status_code, out.body["error"]) == (402, svm_errors.TRANSACTION_FAILED), out.body
            assert "landed but failed" in out.body["message"]
            response = decode_json(out.headers["PAYMENT-RESPONSE"])
            assert response["success"] is False and response["transaction"] == released[0]["signature"]
            assert fulfil.calls == [] and usdc(svm_devnet, pay_to) == 0
            rows = await gw.ledger.in_states(("rejected",))
            assert [r.error_code for r in rows] == [svm_errors.TRANSACTION_FAILED]
            again = await gw.charge(headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)  # still not paid
            assert again.status_code == 402 and fulfil.calls == []

    asyncio.run(main())


def test_payment_identifier(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to(svm_devnet)
        async with started(svm_devnet, tmp_path / "f.db", pay_to) as gw:
            fulfil = Fulfilments()
            payer = funded_payer(svm_devnet)
            req = requirement(gw)

            def with_id(header: str, pid: str) -> dict[str, str]:
                body = decode_json(header)
                body["extensions"] = {"payment-identifier": {"info": {"required": False, "id": pid}}}
                return {"PAYMENT-SIGNATURE": encode_header(body)}

            one = await asyncio.to_thread(pay, svm_devnet, req, payer)
            two = await asyncio.to_thread(pay, svm_devnet, req, payer)
            pid = "pay_" + "a1" * 10
            first = await gw.charge(with_id(one, pid), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert first.status_code == 202
            assert await gw.charge(with_id(one, pid), OFFER, FINGERPRINT, REQUEST_JSON, fulfil) == first
            out = await gw.charge(with_id(two, pid), OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert (out.status_code, out.body["error"]) == (409, errors.PAYMENT_IDENTIFIER_CONFLICT)
            assert len(fulfil.calls) == 1 and usdc(svm_devnet, pay_to) == PRICE

    asyncio.run(main())


def test_start_refuses_another_cluster(svm_devnet: SvmDevnet, tmp_path: Path) -> None:
    from payments.gateway import ConfigurationError

    async def main() -> None:
        net = SvmNetworkConfig(
            "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
            svm_devnet.rpc_url,
            str(Keypair().pubkey()),
            svm_devnet.fee_payer_key,
        )
        gw = PaymentGateway(PaymentConfig(svm=[net]), backends.current().ledger_for(tmp_path / "f.db"))
        try:
            with pytest.raises(ConfigurationError, match="expected 5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"):
                await gw.start()
        finally:
            await gw.close()

    asyncio.run(main())
