"""SVM pieces without a chain: transaction decoding, the idempotency key, the 402's Solana entry, configuration."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from pydantic import ValidationError
from solders.hash import Hash
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from app.config import Settings
from app.devnet.solana_payer import partially_signed, payment_instructions, x402_header
from payments.attempt import decode_attempt
from payments.errors import MalformedPayment
from payments.gateway import (
    ConfigurationError,
    EvmNetworkConfig,
    PaymentConfig,
    PaymentGateway,
    SvmNetworkConfig,
)
from payments.svm import errors as svm_errors
from payments.svm.scheme import FeePayer
from payments.svm.transaction import decode_transaction
from tests.payments.conftest import OFFER

DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
FEE_PAYER = Keypair()
PAY_TO = str(Keypair().pubkey())


def gateway(tmp_path: Path, **kw: object) -> PaymentGateway:
    svm = SvmNetworkConfig(DEVNET, "http://127.0.0.1:1", PAY_TO, str(FEE_PAYER))
    return PaymentGateway(PaymentConfig(svm=[svm], **kw), tmp_path / "f.db")  # type: ignore[arg-type]


def payment(req: dict, payer: Keypair, blockhash: Hash | None = None) -> str:
    ixs = payment_instructions(payer.pubkey(), req)
    tx = partially_signed(ixs, FEE_PAYER.pubkey(), [payer], blockhash or Hash.new_unique())
    return base64.b64encode(bytes(tx)).decode()


def test_the_402_carries_our_fee_payer_for_v2_and_v1(tmp_path: Path) -> None:
    terms = gateway(tmp_path).book.terms(OFFER)
    [v2], [v1] = terms.accepts, terms.accepts_v1
    assert v2.network == DEVNET and v2.asset == "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
    assert v2.pay_to == PAY_TO and v2.extra == {"feePayer": str(FEE_PAYER.pubkey())}
    assert v1.network == "solana-devnet" and v1.extra == {"feePayer": str(FEE_PAYER.pubkey())}


def test_key_is_the_message_hash_whatever_the_signatures(tmp_path: Path) -> None:
    terms = gateway(tmp_path).book.terms(OFFER)
    req = terms.accepts[0].wire()
    payer = Keypair()
    good = decode_attempt(x402_header(req, payment(req, payer)), terms)
    raw = bytearray(base64.b64decode(good.wire_payload["payload"]["transaction"]))
    raw[1 + 64 + 3] ^= 1  # the payer's signature changed, the message did not
    forged = decode_attempt(x402_header(req, bytes(raw)), terms)
    assert good.key == forged.key and good.key.startswith(DEVNET + ":")
    assert good.payer == str(payer.pubkey())  # base58 keeps its case
    other = decode_attempt(x402_header(req, payment(req, payer)), terms)  # another memo nonce: another payment
    assert other.key != good.key


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("%%%", "not base64"),
        (base64.b64encode(b"\x01\x02\x03").decode(), "not a Solana versioned transaction"),
        (base64.b64encode(b"\x00" * 1300).decode(), "at most 1232"),
    ],
)
def test_decode_refuses_what_is_not_a_transaction(text: str, needle: str) -> None:
    with pytest.raises(MalformedPayment, match=needle) as caught:
        decode_transaction(text)
    assert caught.value.reason == svm_errors.COULD_NOT_DECODE


def test_decode_refuses_trailing_bytes() -> None:
    req = {"asset": "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "payTo": PAY_TO, "amount": "1"}
    raw = base64.b64decode(payment(req, Keypair())) + b"\x00"
    with pytest.raises(MalformedPayment, match="trailing"):
        decode_transaction(base64.b64encode(raw).decode())


def test_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="base58 64-byte"):
        FeePayer("not a key")
    svm = SvmNetworkConfig(DEVNET, "http://127.0.0.1:1", str(FEE_PAYER.pubkey()), str(FEE_PAYER))
    with pytest.raises(ConfigurationError, match="payTo must not be the fee payer"):
        PaymentGateway(PaymentConfig(svm=[svm]), tmp_path / "f.db")
    with pytest.raises(ConfigurationError, match="remote facilitator is for EVM only"):
        gateway(tmp_path, facilitator_url="http://127.0.0.1:2")
    evm_as_svm = SvmNetworkConfig("eip155:84532", "http://127.0.0.1:1", PAY_TO, str(FEE_PAYER))
    with pytest.raises(ConfigurationError, match="not a Solana network"):
        PaymentGateway(PaymentConfig(svm=[evm_as_svm]), tmp_path / "f.db")
    both = PaymentConfig(
        evm=[EvmNetworkConfig("eip155:84532", "http://127.0.0.1:1", "0x" + "11" * 20, "0x" + "22" * 32)],
        svm=[SvmNetworkConfig(DEVNET, "http://127.0.0.1:1", PAY_TO, str(FEE_PAYER))],
    )
    networks = [r.network for r in PaymentGateway(both, tmp_path / "g.db").book.terms(OFFER).accepts]
    assert networks == ["eip155:84532", DEVNET]


def test_settings_validate_solana_values_without_echoing_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("FORGE402_"):
            monkeypatch.delenv(name)
    secret = "3" * 87
    with pytest.raises(ValidationError) as caught:
        Settings(svm_fee_payer_key=secret)
    assert "base58 64-byte" in str(caught.value) and secret not in str(caught.value)
    with pytest.raises(ValidationError, match="SVM_PAY_TO and FORGE402_SVM_FEE_PAYER_KEY are required"):
        Settings(svm_rpc_url="http://127.0.0.1:8899")
    with pytest.raises(ValidationError, match="Solana address"):
        Settings(svm_pay_to="0xabc")
    with pytest.raises(ValidationError, match="Solana mainnet or devnet"):
        Settings(svm_network="solana:testnet")
    ok = Settings(svm_rpc_url="http://127.0.0.1:8899", svm_pay_to=PAY_TO, svm_fee_payer_key=str(FEE_PAYER))
    assert ok.paid_lane_configured and str(FEE_PAYER) not in repr(ok)
    assert Pubkey.from_string(ok.svm_pay_to or "") == Pubkey.from_string(PAY_TO)
