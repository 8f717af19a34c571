"""Bursts against a live server, paid by the official clients: a payer holding exactly one price sends eight paid
requests at once. One job; the others answer 402 insufficient_funds; and our settling accounts send only the one
transaction that pays (Base: the facilitator's nonce rose by one and nothing reverted; Solana: the fee payer's SOL
fell by exactly one transaction's fee and nothing landed and failed). Also: the failure limit counts per client
address through the HTTP route."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from solders.keypair import Keypair

from app.devnet.anvil import EvmDevnet
from app.devnet.litesvm import SvmDevnet, rpc
from tests.backends import Backend
from tests.devnet import evm_devnet_fixture, fresh_payer, mining_every_second, receipt_status, sent_transactions  # noqa: F401
from tests.live import LiveServer
from tests.paid import (
    PAID,
    balance,
    challenge,
    decode,
    lamports,
    landing_in_blocks,
    node_client,
    paid_env,
    sdk_burst,
    solana_env,
    svm_devnet_fixture,  # noqa: F401
    transaction_fee,
    usdc,
    v2_payment,
)

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

DRAFT = {"prompt": "a wooden crate", "tier": "draft"}
PRICE = 50_000  # the draft tier's default price
BURST = 8


@pytest.fixture(scope="module")
def server(
    db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet
) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("bursts"), {**paid_env(evm_devnet), **solana_env(svm_devnet)}) as live:
        yield live


def tally(answers: list[tuple[int, Any]]) -> Counter[tuple[int, str | None]]:
    return Counter((status, body.get("error") if isinstance(body, dict) else None) for status, body in answers)


def test_a_base_payer_with_one_price_sends_eight_sdk_payments_at_once(
    server: LiveServer, evm_devnet: EvmDevnet
) -> None:
    payer = asyncio.run(fresh_payer(evm_devnet, PRICE))
    pay_to_before = balance(evm_devnet, evm_devnet.pay_to)
    sent_before = asyncio.run(sent_transactions(evm_devnet))
    with mining_every_second(evm_devnet):
        answers = sdk_burst(server.url, payer, DRAFT, BURST)
    outcome = tally([(a.status_code, a.json()) for a in answers])
    assert outcome == {(202, None): 1, (402, "insufficient_funds"): BURST - 1}, [a.text for a in answers]
    paid = next(a for a in answers if a.status_code == 202)
    transaction = decode(paid.headers["payment-response"])["transaction"]
    assert asyncio.run(sent_transactions(evm_devnet)) - sent_before == 1  # one transaction sent, at our gas
    assert asyncio.run(receipt_status(evm_devnet, transaction)) == 1  # and it did not revert
    assert balance(evm_devnet, evm_devnet.pay_to) - pay_to_before == PRICE
    assert balance(evm_devnet, payer.address) == 0


def test_a_solana_payer_with_one_price_sends_eight_payments_at_once(server: LiveServer, svm_devnet: SvmDevnet) -> None:
    payer = Keypair()
    rpc(svm_devnet.rpc_url, "x_setTokenBalance", str(payer.pubkey()), svm_devnet.usdc_mint, PRICE)
    fee_payer_before, pay_to_before = lamports(svm_devnet, svm_devnet.fee_payer), usdc(svm_devnet, svm_devnet.pay_to)
    with landing_in_blocks(svm_devnet) as landed:
        results = node_client(
            "pay_svm_burst.mjs", server.url + PAID, str(payer), json.dumps(DRAFT), svm_devnet.rpc_url, str(BURST)
        )
    outcome = tally([(r["status"], r["body"]) for r in results])
    assert outcome == {(202, None): 1, (402, "insufficient_funds"): BURST - 1}, results
    signature = next(r for r in results if r["status"] == 202)["payment_response"]["transaction"]
    assert [(t["signature"], t["landed"], t["err"]) for t in landed] == [(signature, True, None)], landed
    assert fee_payer_before - lamports(svm_devnet, svm_devnet.fee_payer) == transaction_fee(svm_devnet, signature)
    assert usdc(svm_devnet, svm_devnet.pay_to) - pay_to_before == PRICE
    assert usdc(svm_devnet, str(payer.pubkey())) == 0


def test_the_failure_limit_counts_per_client_address(tmp_path: Path, evm_devnet: EvmDevnet) -> None:
    env = paid_env(evm_devnet, FORGE402_PAYMENT_FAILURES_PER_PAYER="0", FORGE402_PAYMENT_FAILURES_PER_ADDRESS="2")
    with LiveServer(tmp_path, env) as live, httpx.Client(base_url=live.url, timeout=60) as http:
        accepted = challenge(http, DRAFT)["accepts"][0]
        for _ in range(2):  # two payers with nothing, from this address: refused on chain
            poor = asyncio.run(fresh_payer(evm_devnet, 0))
            refused = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": v2_payment(evm_devnet, poor, accepted)})
            assert (refused.status_code, refused.json()["error"]) == (402, "insufficient_funds"), refused.text
        good = v2_payment(evm_devnet, evm_devnet.payers[0], accepted)
        limited = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": good})
        assert (limited.status_code, limited.json()["error"]) == (429, "too_many_failed_payments"), limited.text
        assert int(limited.headers["retry-after"]) >= 1
