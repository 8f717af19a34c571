"""Shared helpers for the payments tests: a started gateway on the local anvil, signed x402 headers, balances."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from eth_account import Account
from x402 import x402Client
from x402.http import x402HTTPClient
from x402.mechanisms.evm import EthAccountSigner
from x402.mechanisms.evm.exact.register import register_exact_evm_client

from app.devnet.anvil import EvmDevnet, Payer
from payments.codec import encode_header
from payments.evm.eip3009 import TRANSFER_TOPIC, balance_of_calldata, topic_address
from payments.evm.rpc import RpcClient
from payments.gateway import EvmNetworkConfig, Offer, PaidRequest, PaymentConfig, PaymentGateway
from tests import backends
from tests.devnet import evm_devnet_fixture, sign_eip3009  # noqa: F401 - registers the evm_devnet fixture

PRICE = 50_000
OFFER = Offer(
    price_atomics=PRICE,
    resource_url="http://127.0.0.1:8000/api/x402/forge",
    description="Text or photos to a GLB 3D model",
    input_example={"prompt": "a wooden chair", "tier": "draft"},
    input_schema={
        "type": "object",
        "properties": {"prompt": {"type": "string", "minLength": 3}, "tier": {"type": "string"}},
        "required": ["prompt"],
    },
    output_example={"job_id": "abc", "status": "queued"},
    output_schema={"type": "object", "properties": {"job_id": {"type": "string"}}},
)
FINGERPRINT = "POST /api/x402/forge 5f1e-body-digest"
REQUEST_JSON = '{"prompt":"a wooden chair","tier":"draft"}'


class Fulfilments:
    """A `fulfil` callback that records every call (the service would create the job here)."""

    def __init__(self) -> None:
        self.calls: list[PaidRequest] = []

    async def __call__(self, paid: PaidRequest) -> None:
        self.calls.append(paid)


def fresh_pay_to() -> str:
    return Account.create().address


def config_for(devnet: EvmDevnet, pay_to: str, **kw: Any) -> PaymentConfig:
    net = EvmNetworkConfig(devnet.network, devnet.rpc_url, pay_to, devnet.facilitator_private_key)
    return PaymentConfig(evm=[net], **kw)


@asynccontextmanager
async def running(config: PaymentConfig, db: Path) -> AsyncIterator[PaymentGateway]:
    """A started gateway with `config` on the ledger `db`, closed on exit."""
    gw = PaymentGateway(config, backends.current().ledger_for(db))
    await gw.start()
    try:
        yield gw
    finally:
        await gw.close()


@asynccontextmanager
async def started_gateway(devnet: EvmDevnet, db: Path, pay_to: str | None = None) -> AsyncIterator[PaymentGateway]:
    async with running(config_for(devnet, pay_to or fresh_pay_to()), db) as gw:
        yield gw


def now() -> int:
    return int(time.time())


def sign(devnet: EvmDevnet, payer: Payer, to: str, value: int = PRICE, **kw: Any) -> dict[str, Any]:
    # 600 s back, as the official client: the devnet's latest block (what verification simulates on) is as old as
    # its last transaction, and an idle minute must not make a fresh authorization "not yet valid"
    kw.setdefault("valid_after", now() - 600)
    kw.setdefault("valid_before", now() + 120)  # as the official clients: now + maxTimeoutSeconds
    return sign_eip3009(devnet, payer, to, value, **kw)


def accepted_of(gw: PaymentGateway, offer: Offer = OFFER) -> dict[str, Any]:
    return gw.book.terms(offer).accepts[0].wire()


def v2_headers(
    gw: PaymentGateway,
    payload: dict[str, Any],
    offer: Offer = OFFER,
    accepted: dict[str, Any] | None = None,
    payment_id: str | None = None,
) -> dict[str, str]:
    body: dict[str, Any] = {"x402Version": 2, "accepted": accepted or accepted_of(gw, offer), "payload": payload}
    if payment_id:
        body["extensions"] = {"payment-identifier": {"info": {"required": False, "id": payment_id}}}
    return {"PAYMENT-SIGNATURE": encode_header(body)}


def v1_headers(payload: dict[str, Any], network: str = "base-sepolia") -> dict[str, str]:
    return {"X-PAYMENT": encode_header({"x402Version": 1, "scheme": "exact", "network": network, "payload": payload})}


async def balance(devnet: EvmDevnet, address: str) -> int:
    rpc = RpcClient(devnet.rpc_url)
    try:
        return int(await rpc.eth_call(devnet.usdc, "0x" + balance_of_calldata(address).hex()), 16)
    finally:
        await rpc.close()


async def transfers_to(devnet: EvmDevnet, pay_to: str) -> list[dict[str, Any]]:
    """Every Transfer log of the devnet USDC whose recipient is `pay_to`."""
    rpc = RpcClient(devnet.rpc_url)
    try:
        flt = {"address": devnet.usdc, "fromBlock": "0x0", "toBlock": "latest",
               "topics": [TRANSFER_TOPIC, None, topic_address(pay_to)]}  # fmt: skip
        return await rpc.call("eth_getLogs", flt)
    finally:
        await rpc.close()


def sdk_client(private_key: str) -> tuple[x402Client, x402HTTPClient]:
    """The official Python SDK's client paying from `private_key` (spend controls off: the SDK only knows mainnet
    assets' USD prices; ours is a local test token)."""
    client = x402Client()
    register_exact_evm_client(client, EthAccountSigner(Account.from_key(private_key)))
    client.set_spend_controls(False)
    return client, x402HTTPClient(client)


async def sdk_payments(gw: PaymentGateway, private_key: str, n: int, offer: Offer = OFFER) -> list[dict[str, str]]:
    """`n` payment headers the official SDK makes for our 402 (a fresh authorization, a random nonce each)."""
    _, headers, body = gw.challenge(offer)
    client, http = sdk_client(private_key)
    required = http.get_payment_required_response(lambda name: headers.get(name), body)
    return [http.encode_payment_signature_header(await client.create_payment_payload(required)) for _ in range(n)]
