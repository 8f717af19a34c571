"""Property tests (hypothesis) of every decoder of the payment headers a client sends: whatever the bytes, decoding
and the offline checks end in a refusal with its reason (MalformedPayment → 400, PaymentRejected → 402), never
another exception (a 500).

Targets: the x402 v1/v2 header (base64, JSON, the payload shapes, the match against our offer), EVM authorizations
and signatures (shape, EIP-712 recovery, the offline checks), Solana transactions (decoding arbitrary and mutated
bytes, signature and instruction checks).
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
from functools import cache
from pathlib import Path
from typing import Any

from eth_account import Account
from hypothesis import assume, example, given
from hypothesis import strategies as st
from solders.hash import Hash
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from app.devnet.solana_payer import partially_signed, payment_instructions
from payments.attempt import decode_attempt
from payments.codec import decode_json
from payments.errors import MalformedPayment, PaymentRejected
from payments.evm import eip3009
from payments.gateway import EvmNetworkConfig, PaymentConfig, PaymentGateway, SvmNetworkConfig
from payments.requirements import OfferTerms
from payments.svm.transaction import decode_transaction
from tests.payments.conftest import OFFER
from tests.strategies import JSON_VALUES, PROPERTY

SOLANA_DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
FEE_PAYER = Keypair.from_seed(bytes(range(32)))
SVM_PAY_TO = str(Keypair.from_seed(bytes(range(1, 33))).pubkey())
EVM_PAY_TO = "0x1111111111111111111111111111111111111111"
PAYER = Account.from_key("0x" + "42" * 32)



@cache
def gateway() -> PaymentGateway:
    """An offline gateway offering Base Sepolia and Solana devnet (nothing here talks to a chain)."""
    config = PaymentConfig(
        evm=[EvmNetworkConfig("eip155:84532", "http://127.0.0.1:1", EVM_PAY_TO, "0x" + "22" * 32)],
        svm=[SvmNetworkConfig(SOLANA_DEVNET, "http://127.0.0.1:1", SVM_PAY_TO, str(FEE_PAYER))],
    )
    return PaymentGateway(config, Path("/nonexistent/ledger.db"))


def terms() -> OfferTerms:
    return gateway().book.terms(OFFER)


def header(data: Any) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


def decoded_and_checked(value: str) -> None:
    """What the gateway does with a header before any ledger or RPC: decode, match, signature, offline checks.
    Only refusals may leave it."""
    try:
        attempt = decode_attempt(value, terms())
        scheme = gateway().schemes[attempt.network]
        scheme.check_signature(attempt)
        scheme.check_offline(attempt)
    except (MalformedPayment, PaymentRejected) as refusal:
        assert refusal.reason and refusal.message
    except ValueError as exc:  # never: every ValueError must be a refusal
        raise AssertionError(f"{type(exc).__name__}: {exc}") from exc


# ---- the header: base64, JSON, shapes ---------------------------------------------------------------------------


@PROPERTY
@given(st.text(max_size=300))
@example("")
@example("=" * 9000)
def test_any_header_text_is_refused_cleanly(value: str) -> None:
    decoded_and_checked(value)


@PROPERTY
@given(st.binary(max_size=600))
@example(b"[" * 6000)
@example(b'{"x402Version": 2, "n": ' + b"9" * 5000 + b"}")
def test_any_bytes_in_base64_are_refused_cleanly(raw: bytes) -> None:
    decoded_and_checked(base64.b64encode(raw).decode())


@PROPERTY
@given(JSON_VALUES)
def test_any_json_in_a_header_is_refused_cleanly(data: Any) -> None:
    decoded_and_checked(header(data))


def evm_requirement() -> dict[str, Any]:
    return terms().accepts[0].wire()


def svm_requirement() -> dict[str, Any]:
    return terms().accepts[1].wire()


@PROPERTY
@given(
    version=st.sampled_from([1, 2, "2", True, None, 3, 2.0]),
    field=st.sampled_from(["scheme", "network", "amount", "asset", "payTo", "maxTimeoutSeconds", "extra", None]),
    value=JSON_VALUES,
    payload=JSON_VALUES,
    solana=st.booleans(),
)
def test_a_v2_payment_with_any_field_changed_is_refused_cleanly(
    version: Any, field: str | None, value: Any, payload: Any, solana: bool
) -> None:
    accepted = svm_requirement() if solana else evm_requirement()
    if field is not None:
        accepted[field] = value
    decoded_and_checked(header({"x402Version": version, "accepted": accepted, "payload": payload}))


@PROPERTY
@given(
    scheme=st.sampled_from(["exact", "upto", ""]) | st.text(max_size=8),
    network=st.sampled_from(["base-sepolia", "solana-devnet", "base", "eip155:84532"]) | st.text(max_size=12),
    payload=JSON_VALUES,
)
def test_a_v1_payment_of_any_shape_is_refused_cleanly(scheme: str, network: str, payload: Any) -> None:
    decoded_and_checked(header({"x402Version": 1, "scheme": scheme, "network": network, "payload": payload}))


# ---- EVM authorizations and signatures ----------------------------------------------------------------------------

HEX = "0123456789abcdefABCDEF"


def digits(low: int = 0, high: int = 2**260) -> st.SearchStrategy[str]:
    return st.integers(min_value=low, max_value=high).map(str)


ADDRESSES = st.text(HEX, min_size=40, max_size=40).map("0x".__add__)
AUTHORIZATIONS = st.fixed_dictionaries(
    {
        "from": st.sampled_from([PAYER.address, "0x" + "00" * 20]) | ADDRESSES,
        "to": st.sampled_from([EVM_PAY_TO]) | ADDRESSES,
        "value": st.sampled_from(["50000"]) | digits(),
        "validAfter": digits(0, 2**64),
        "validBefore": st.sampled_from([str(int(time.time()) + 100)]) | digits(0, 2**64),
        "nonce": st.text(HEX, min_size=64, max_size=64).map("0x".__add__),
    }
)  # fmt: skip
FIELDS = (("from", "address"), ("to", "address"), ("value", "uint256"), ("validAfter", "uint256"),
          ("validBefore", "uint256"), ("nonce", "bytes32"))  # fmt: skip
SIGNATURES = st.binary(min_size=0, max_size=80).map(lambda b: "0x" + b.hex())


@PROPERTY
@given(authorization=AUTHORIZATIONS, signature=SIGNATURES)
def test_any_evm_authorization_and_signature_is_refused_cleanly(authorization: dict, signature: str) -> None:
    decoded_and_checked(
        header({"x402Version": 2, "accepted": evm_requirement(), "payload": {"signature": signature,
                                                                             "authorization": authorization}})
    )  # fmt: skip


@PROPERTY
@given(st.binary(min_size=65, max_size=65), st.binary(min_size=32, max_size=32))
def test_signature_recovery_raises_only_value_error(signature: bytes, digest: bytes) -> None:
    with contextlib.suppress(ValueError):
        eip3009.recover(digest, eip3009.split_signature(signature))


@PROPERTY
@given(flip=st.integers(min_value=0, max_value=64), bit=st.integers(min_value=0, max_value=7))
def test_a_genuine_evm_signature_with_one_bit_flipped_never_verifies(flip: int, bit: int) -> None:
    requirement = evm_requirement()
    now = int(time.time())
    message = {"from": PAYER.address, "to": EVM_PAY_TO, "value": int(requirement["amount"]), "validAfter": now - 60,
               "validBefore": now + 100, "nonce": b"\x07" * 32}  # fmt: skip
    domain = {"name": "USDC", "version": "2", "chainId": 84532, "verifyingContract": requirement["asset"]}
    types = {"TransferWithAuthorization": [{"name": k, "type": t} for k, t in FIELDS]}
    signature = bytearray(Account.sign_typed_data(PAYER.key, domain, types, message).signature)
    signature[flip] ^= 1 << bit
    authorization = {**{k: str(v) for k, v in message.items() if k != "nonce"}, "nonce": "0x" + "07" * 32}
    value = header({"x402Version": 2, "accepted": requirement,
                    "payload": {"signature": "0x" + signature.hex(), "authorization": authorization}})  # fmt: skip
    try:
        attempt = decode_attempt(value, terms())
        gateway().schemes[attempt.network].check_signature(attempt)
    except (MalformedPayment, PaymentRejected):
        return
    raise AssertionError("a tampered signature verified")


# ---- Solana transactions ------------------------------------------------------------------------------------------

SVM_PAYER = Keypair.from_seed(bytes(range(2, 34)))


@cache
def genuine_transaction() -> bytes:
    """A payment of the Solana requirement as the official clients build it (partially signed by the payer)."""
    requirement = svm_requirement()
    instructions = payment_instructions(SVM_PAYER.pubkey(), requirement)
    fee_payer = Pubkey.from_string(requirement["extra"]["feePayer"])
    return bytes(partially_signed(instructions, fee_payer, [SVM_PAYER], Hash.new_unique()))


def svm_header(raw: bytes) -> str:
    transaction = base64.b64encode(raw).decode()
    return header({"x402Version": 2, "accepted": svm_requirement(), "payload": {"transaction": transaction}})


@PROPERTY
@given(st.binary(max_size=1300))
def test_any_bytes_as_a_solana_transaction_are_refused_cleanly(raw: bytes) -> None:
    with contextlib.suppress(MalformedPayment):
        decode_transaction(base64.b64encode(raw).decode())
    decoded_and_checked(svm_header(raw))


@PROPERTY
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=2000), st.integers(min_value=0, max_value=255)),
                min_size=1, max_size=4))  # fmt: skip
def test_a_genuine_solana_transaction_with_bytes_changed_is_refused_or_checked_cleanly(
    changes: list[tuple[int, int]],
) -> None:
    raw = bytearray(genuine_transaction())
    for position, value in changes:
        raw[position % len(raw)] = value
    assume(bytes(raw) != genuine_transaction())
    decoded_and_checked(svm_header(bytes(raw)))


def test_the_genuine_solana_transaction_passes_the_offline_checks() -> None:
    """The mutation test above starts from a payment the checks accept (else it would test nothing)."""
    attempt = decode_attempt(svm_header(genuine_transaction()), terms())
    gateway().schemes[attempt.network].check_signature(attempt)
    gateway().schemes[attempt.network].check_offline(attempt)


@PROPERTY
@given(st.text(max_size=200))
def test_decode_json_refuses_cleanly(value: str) -> None:
    with contextlib.suppress(MalformedPayment):
        assert isinstance(decode_json(value), dict)
