"""Unit tests without a chain: header codec, wire models, requirements and their cache, package isolation."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from payments import errors
from payments.codec import MAX_HEADER_BYTES, decode_json, encode_header, parse_model
from payments.errors import MalformedPayment
from payments.evm.eip3009 import HALF_N, split_signature
from payments.gateway import EvmNetworkConfig, Outcome, PaymentConfig, PaymentGateway, Receipt
from payments.models import (
    ExactEvmPayload,
    PaymentPayload,
    PaymentPayloadV1,
    PaymentRequired,
    PaymentRequiredV1,
    SettleResponse,
)
from payments.networks import lookup, to_caip2, to_v1, usd
from tests.payments.conftest import OFFER

PAY_TO = "0x1111111111111111111111111111111111111111"
FACILITATOR_KEY = "0x" + "11" * 32
AUTH = {
    "from": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "to": PAY_TO,
    "value": "50000",
    "validAfter": "0",
    "validBefore": "1900000000",
    "nonce": "0x" + "ab" * 32,
}


@pytest.fixture
def gateway(tmp_path) -> PaymentGateway:
    net = EvmNetworkConfig("eip155:84532", "http://127.0.0.1:1", PAY_TO, FACILITATOR_KEY)
    return PaymentGateway(PaymentConfig(evm=[net]), tmp_path / "f.db")


# ---- codec -----------------------------------------------------------------------------------------------------------


def test_codec_round_trip() -> None:
    data = {"x402Version": 2, "a": [1, "é"]}
    assert decode_json(encode_header(data)) == data
    urlsafe = base64.urlsafe_b64encode(json.dumps({"k": "??>>"}).encode()).decode().rstrip("=")
    assert decode_json(urlsafe) == {"k": "??>>"}


@pytest.mark.parametrize(
    ("header", "needle"),
    [
        ("", "empty"),
        ("not base64 at all!", "not base64"),
        (base64.b64encode(b"\xff\xfe{").decode(), "not JSON"),
        (base64.b64encode(b"{nope").decode(), "not JSON"),
        (base64.b64encode(b"[1, 2]").decode(), "not an object"),
        ("A" * (1024 * 1024), "limit"),
        ("A" * (MAX_HEADER_BYTES + 1), "limit"),
        (base64.b64encode(b'{"x402Version": 2, "n": ' + b"9" * 5000 + b"}").decode(), "not JSON"),  # int limit
        (base64.b64encode(b"[" * 6000).decode(), "not JSON"),  # RecursionError in the parser
    ],
)
def test_codec_refuses(header: str, needle: str) -> None:
    with pytest.raises(MalformedPayment) as exc:
        decode_json(header)
    assert needle in exc.value.message and exc.value.reason == errors.INVALID_PAYLOAD


def test_a_5000_digit_number_in_a_payment_header_is_a_400(gateway: PaymentGateway) -> None:
    """Issue 13 finding 2: json raises a plain ValueError past 4,300 digits; it answered 500."""
    payload = {"signature": "0x00", "authorization": {**AUTH, "value": "1"}}
    text = json.dumps({"x402Version": 2, "accepted": {}, "payload": payload}).replace('"1"', "9" * 5000)
    header = base64.b64encode(text.encode()).decode()
    out = asyncio.run(gateway.charge({"PAYMENT-SIGNATURE": header}, OFFER, "fp", "{}", _never_fulfil))
    assert out.status_code == 400 and out.body == {"error": errors.INVALID_PAYLOAD, "message": ANY_NOT_JSON}


async def _never_fulfil(paid: object) -> None:
    raise AssertionError("nothing may be fulfilled")


class _NotJson(str):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and "not JSON" in other

    __hash__ = str.__hash__


ANY_NOT_JSON = _NotJson()


def test_parse_model_names_the_field() -> None:
    with pytest.raises(MalformedPayment, match=r"authorization\.nonce"):
        parse_model(ExactEvmPayload, {"signature": "0x00", "authorization": {**AUTH, "nonce": "0x12"}}, "payload")
    with pytest.raises(MalformedPayment, match="accepted"):
        parse_model(PaymentPayload, {"x402Version": 2, "payload": {}}, "payment payload")


# ---- models ----------------------------------------------------------------------------------------------------------


def test_models_round_trip_on_wire_names() -> None:
    payload = ExactEvmPayload.model_validate({"signature": "0x" + "00" * 65, "authorization": AUTH})
    assert payload.authorization.from_ == AUTH["from"]
    assert payload.wire() == {"signature": "0x" + "00" * 65, "authorization": AUTH}
    v1 = PaymentPayloadV1.model_validate({"x402Version": 1, "scheme": "exact", "network": "base", "payload": {}})
    assert v1.wire()["x402Version"] == 1
    resp = SettleResponse(success=False, network="eip155:8453", error_reason="x")
    assert resp.wire() == {"success": False, "transaction": "", "network": "eip155:8453", "errorReason": "x"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("value", "-1"),
        ("value", "1.5"),
        ("value", str(2**256)),
        ("validBefore", 1900000000),
        ("from", "0x1234"),
        ("to", "0x" + "g" * 40),
        ("nonce", "0x" + "ab" * 31),
    ],
)
def test_evm_payload_is_strict(field: str, value: object) -> None:
    with pytest.raises(MalformedPayment):
        parse_model(ExactEvmPayload, {"signature": "0x00", "authorization": {**AUTH, field: value}}, "payload")


def test_evm_payload_refuses_unknown_keys() -> None:
    with pytest.raises(MalformedPayment):
        parse_model(ExactEvmPayload, {"signature": "0x00", "authorization": {**AUTH, "extra": 1}}, "payload")


def test_signature_split() -> None:
    good = bytes(31) + b"\x01" + bytes(31) + b"\x02" + b"\x1b"
    assert split_signature(good).v == 27
    assert split_signature(good[:64] + b"\x01").v == 28
    high = bytes(31) + b"\x01" + (HALF_N + 1).to_bytes(32, "big") + b"\x1b"
    for bad in (good[:64], good + b"\x00", good[:64] + b"\x05", high):
        with pytest.raises(ValueError):
            split_signature(bad)


def test_networks() -> None:
    assert to_v1("eip155:8453") == "base" and to_caip2("base-sepolia") == "eip155:84532"
    assert lookup("base").eip712_name == "USD Coin" and lookup("base-sepolia").eip712_name == "USDC"
    assert to_v1("solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1") == "solana-devnet"
    assert (usd(50_000), usd(150_000), usd(1_500_000), usd(1)) == ("$0.05", "$0.15", "$1.50", "$0.000001")


# ---- requirements ----------------------------------------------------------------------------------------------------


def test_challenge_shapes(gateway: PaymentGateway) -> None:
    status, headers, body = gateway.challenge(OFFER)
    assert status == 402 and headers["Cache-Control"] == "no-store"
    assert "PAYMENT-REQUIRED" in headers["Access-Control-Expose-Headers"]
    required = PaymentRequired.model_validate(json.loads(base64.b64decode(headers["PAYMENT-REQUIRED"])))
    assert required.x402_version == 2 and required.error == "Payment required"
    assert required.resource.url == OFFER.resource_url
    req = required.accepts[0]
    assert (req.scheme, req.network, req.amount, req.pay_to) == ("exact", "eip155:84532", "50000", PAY_TO)
    assert req.asset == "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
    assert req.extra == {"name": "USDC", "version": "2"}
    bazaar = required.extensions["bazaar"]
    assert bazaar["info"]["input"] == {"type": "http", "method": "POST", "bodyType": "json",
                                       "body": OFFER.input_example}  # fmt: skip
    assert bazaar["info"]["output"]["example"] == OFFER.output_example
    assert bazaar["schema"]["properties"]["input"]["properties"]["body"] == OFFER.input_schema
    ident = required.extensions["payment-identifier"]
    assert ident["info"] == {"required": False} and ident["schema"]["properties"]["id"]["minLength"] == 16

    v1 = PaymentRequiredV1.model_validate(body)
    assert v1.x402_version == 1 and v1.error == "Payment required"
    r1 = v1.accepts[0]
    assert (r1.network, r1.max_amount_required, r1.resource) == ("base-sepolia", "50000", OFFER.resource_url)
    assert r1.output_schema["input"]["method"] == "POST"
    assert r1.output_schema["input"]["bodyFields"]["prompt"]["required"] is True
    assert r1.output_schema["output"] == OFFER.output_schema


def test_challenge_is_cached(gateway: PaymentGateway) -> None:
    first = gateway.challenge(OFFER)
    again = gateway.challenge(OFFER)
    assert first == again and first[2] is again[2]  # the same cached body object
    twin = type(OFFER)(**{f: getattr(OFFER, f) for f in OFFER.__dataclass_fields__})
    assert gateway.challenge(twin)[1]["PAYMENT-REQUIRED"] == first[1]["PAYMENT-REQUIRED"]


def test_the_402_carries_lean_schemas(gateway: PaymentGateway) -> None:
    """Pydantic's `title`s and `default: null` are left out of every schema a 402 carries; a field that is "X or
    null" is X in v1's bodyFields; what is data (a property named "title", a default value) is kept as it is."""
    schema = {
        "title": "ForgeRequest",
        "type": "object",
        "properties": {
            "prompt": {"title": "Prompt", "anyOf": [{"type": "string", "minLength": 3}, {"type": "null"}],
                       "default": None},
            "title": {"title": "Title", "type": "string", "default": "a title"},
            "options": {"type": "object", "default": {"title": "kept"}},
        },
        "required": ["prompt"],
    }  # fmt: skip
    offer = replace(OFFER, input_schema=schema, output_schema={"title": "Out", "type": "object"})
    _, headers, body = gateway.challenge(offer)
    lean = {
        "type": "object",
        "properties": {
            "prompt": {"anyOf": [{"type": "string", "minLength": 3}, {"type": "null"}]},
            "title": {"type": "string", "default": "a title"},
            "options": {"type": "object", "default": {"title": "kept"}},
        },
        "required": ["prompt"],
    }
    bazaar = decode_json(headers["PAYMENT-REQUIRED"])["extensions"]["bazaar"]
    assert bazaar["schema"]["properties"]["input"]["properties"]["body"] == lean
    assert bazaar["schema"]["properties"]["output"]["properties"]["example"] == {"type": "object"}
    fields = body["accepts"][0]["outputSchema"]["input"]["bodyFields"]
    assert fields["prompt"] == {"type": "string", "minLength": 3, "required": True}
    assert fields["title"] == {"type": "string", "default": "a title", "required": False}
    assert body["accepts"][0]["outputSchema"]["output"] == {"type": "object"}
    assert gateway.manifest([offer])["items"][0]["input"]["body"] == lean


def test_the_encoded_challenge_is_the_challenge(gateway: PaymentGateway) -> None:
    status, headers, body = gateway.challenge(OFFER, "some reason")
    encoded = gateway.encoded_challenge(OFFER, "some reason")
    assert encoded[:2] == (status, headers) and json.loads(encoded[2]) == body
    assert gateway.encoded_challenge(OFFER, "some reason")[2] is encoded[2]  # encoded once


def test_price_list_and_manifest(gateway: PaymentGateway) -> None:
    prices = gateway.price_list({"draft": OFFER})
    net = prices["draft"]["networks"][0]
    assert prices["draft"]["price_usdc"] == "$0.05" and prices["draft"]["price_usdc_atomics"] == 50_000
    assert (net["network"], net["network_v1"], net["pay_to"]) == ("eip155:84532", "base-sepolia", PAY_TO)
    manifest = gateway.manifest([OFFER])
    assert manifest["x402Version"] == 2 and manifest["lastUpdated"].endswith("Z")
    item = manifest["items"][0]
    assert item["type"] == "http" and item["input"]["routeTemplate"] == "/api/x402/forge"
    assert item["accepts"] == [a.wire() for a in gateway.book.terms(OFFER).accepts]


def test_configuration_errors(tmp_path) -> None:
    from eth_account import Account

    from payments.gateway import ConfigurationError

    own = Account.from_key(FACILITATOR_KEY).address
    with pytest.raises(ConfigurationError, match="payTo"):
        PaymentGateway(PaymentConfig([EvmNetworkConfig("base", "http://x", own, FACILITATOR_KEY)]), tmp_path / "a")
    with pytest.raises(ConfigurationError, match="facilitator"):
        PaymentGateway(PaymentConfig([EvmNetworkConfig("base", "http://x", PAY_TO, None)]), tmp_path / "a")
    with pytest.raises(ConfigurationError, match="eip712_name"):
        PaymentGateway(PaymentConfig([EvmNetworkConfig("base", "http://x", PAY_TO, FACILITATOR_KEY, asset=PAY_TO)]),
                       tmp_path / "a")  # fmt: skip


def test_payments_imports_no_web_framework() -> None:
    code = (
        "import sys, payments.gateway, payments.evm.facilitator, payments.ledger, payments.evm.scheme,"
        " payments.svm.scheme;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'app', 'x402', 'fastapi'));"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_paid_outcome_keeps_its_receipt_through_the_ledger() -> None:
    receipt = Receipt("0x" + "ab" * 32, "base-sepolia", "0x" + "cd" * 20)
    response = SettleResponse(
        success=True, transaction=receipt.transaction, network=receipt.network, payer=receipt.payer
    )
    outcome = Outcome(202, {"X-PAYMENT-RESPONSE": encode_header(response)}, None, "job_1", receipt)
    assert Outcome.from_json(outcome.to_json()) == outcome
    stored_before_receipts = json.dumps({k: v for k, v in json.loads(outcome.to_json()).items() if k != "receipt"})
    assert Outcome.from_json(stored_before_receipts).receipt == receipt  # read from its own header
