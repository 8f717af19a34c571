"""The official Python x402 client (2.25.0) reads our 402 and pays; our gateway accepts and settles it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.devnet.anvil import EvmDevnet
from payments.codec import decode_json
from tests.payments.conftest import (
    FINGERPRINT,
    OFFER,
    PRICE,
    REQUEST_JSON,
    Fulfilments,
    balance,
    fresh_pay_to,
    sdk_client,
    started_gateway,
)

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL


@pytest.mark.parametrize("version", [2, 1])
def test_official_client_pays_us(evm_devnet: EvmDevnet, tmp_path: Path, version: int) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            status, headers, body = gw.challenge(OFFER)
            assert status == 402
            client, http = sdk_client(evm_devnet.payers[1].private_key)
            # a v1-only client reads just the body; a v2 client prefers the header
            visible = headers if version == 2 else {}
            required = http.get_payment_required_response(lambda name: visible.get(name), body)
            assert required.x402_version == version
            payload = await client.create_payment_payload(required)
            payment_headers = http.encode_payment_signature_header(payload)
            fulfil = Fulfilments()
            out = await gw.charge(payment_headers, OFFER, FINGERPRINT, REQUEST_JSON, fulfil)
            assert out.status_code == 202, out.body
            name = "PAYMENT-RESPONSE" if version == 2 else "X-PAYMENT-RESPONSE"
            settle = http.get_payment_settle_response(lambda n: out.headers.get(n))
            assert settle.success and settle.transaction == decode_json(out.headers[name])["transaction"]
            assert await balance(evm_devnet, pay_to) == PRICE and len(fulfil.calls) == 1

    asyncio.run(main())
