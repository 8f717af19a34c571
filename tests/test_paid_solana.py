"""The paid lane on Solana end to end: a real server selling on Base and Solana at once, the official TypeScript
client paying on the local LiteSVM devnet, crash safety, and the default `serve` running both devnets."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from eth_account import Account
from x402 import x402Client
from x402.http import decode_payment_response_header
from x402.http.clients import x402HttpxClient
from x402.mechanisms.evm.exact import register_exact_evm_client
from x402.mechanisms.evm.signers import EthAccountSigner

from app.devnet.anvil import EvmDevnet
from app.devnet.litesvm import SvmDevnet, rpc
from app.devnet.solana_payer import sign_svm_payment
from tests import backends
from tests.api import wait_done
from tests.backends import Backend
from tests.devnet import evm_devnet_fixture  # noqa: F401
from tests.gltf_validator import validate_glbs
from tests.live import LiveServer, child_pid, devnet_port, wait_gone
from tests.metrics import scrape, value
from tests.paid import (
    PAID,
    balance,
    decode,
    download,
    lamports,
    ledger_states,
    node_client,
    paid_env,
    pay_then_kill,
    solana_env,
    svm_devnet_fixture,  # noqa: F401
    svm_devnet_running,
    svm_requirement,
    transaction_fee,
    usdc,
)

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

DRAFT = {"prompt": "a wooden crate", "tier": "draft"}
METRICS_TOKEN = "solana-metrics-token"


@pytest.fixture(scope="module")
def both_server(
    db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet
) -> Iterator[LiveServer]:
    env = {**paid_env(evm_devnet), **solana_env(svm_devnet), "FORGE402_METRICS_TOKEN": METRICS_TOKEN}
    with LiveServer(tmp_path_factory.mktemp("paid-both"), env) as live:
        yield live


@pytest.fixture
def http(both_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=both_server.url, timeout=60) as client:
        yield client


def test_one_402_offers_base_and_solana(http: httpx.Client, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet) -> None:
    answer = http.post(PAID, json=DRAFT)
    assert answer.status_code == 402
    required = decode(answer.headers["payment-required"])
    assert [r["network"] for r in required["accepts"]] == ["eip155:84532", svm_devnet.network]
    solana = svm_requirement(required)
    assert solana["scheme"] == "exact" and solana["amount"] == "50000"
    assert solana["asset"] == svm_devnet.usdc_mint and solana["payTo"] == svm_devnet.pay_to
    assert solana["extra"] == {"feePayer": svm_devnet.fee_payer}
    v1 = answer.json()["accepts"]
    assert [r["network"] for r in v1] == ["base-sepolia", "solana-devnet"]
    assert v1[1]["extra"] == {"feePayer": svm_devnet.fee_payer} and v1[1]["maxAmountRequired"] == "50000"
    prices = json.dumps(http.get(PAID).json())
    assert svm_devnet.network in prices and "solana-devnet" in prices
    manifest = http.get("/.well-known/x402.json").json()
    assert {r["network"] for r in manifest["items"][0]["accepts"]} == {"eip155:84532", svm_devnet.network}


def test_official_typescript_svm_client_pays_once_and_gets_a_valid_glb(
    both_server: LiveServer, http: httpx.Client, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet, tmp_path: Path
) -> None:
    payer = svm_devnet.payers[0]
    pay_to_before, payer_before = usdc(svm_devnet, svm_devnet.pay_to), usdc(svm_devnet, payer.address)
    fee_payer_before = lamports(svm_devnet, svm_devnet.fee_payer)
    payer_sol_before = lamports(svm_devnet, payer.address)
    base_before = balance(evm_devnet, evm_devnet.pay_to)
    result = node_client(
        "pay_svm.mjs", both_server.url + PAID, payer.secret_key_base58, json.dumps(DRAFT), svm_devnet.rpc_url
    )
    assert result["status"] == 202 and result["payment_response"]["success"] is True
    signature = result["payment_response"]["transaction"]
    assert result["payment_response"]["network"] == svm_devnet.network
    assert result["payment_response"]["payer"] == payer.address
    assert result["body"]["transaction"] == signature and result["body"]["network"] == svm_devnet.network
    done = wait_done(http, result["body"]["poll_url"])
    assert done["status"] == "done", done
    glb = download(http, done["glb_url"], tmp_path / "solana.glb")
    assert validate_glbs([glb])[glb]["errors"] == 0
    # the money moved once, our fee payer paid exactly the fee, the payer paid no SOL, Base untouched
    assert usdc(svm_devnet, svm_devnet.pay_to) - pay_to_before == 50_000
    assert payer_before - usdc(svm_devnet, payer.address) == 50_000
    assert fee_payer_before - lamports(svm_devnet, svm_devnet.fee_payer) == transaction_fee(svm_devnet, signature)
    assert lamports(svm_devnet, payer.address) == payer_sol_before
    assert balance(evm_devnet, evm_devnet.pay_to) == base_before


def test_a_base_only_client_pays_on_base_from_the_same_402(
    both_server: LiveServer, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet
) -> None:
    client = x402Client()
    register_exact_evm_client(client, EthAccountSigner(Account.from_key(evm_devnet.payers[0].private_key)))
    base_before, solana_before = balance(evm_devnet, evm_devnet.pay_to), usdc(svm_devnet, svm_devnet.pay_to)

    async def buy() -> httpx.Response:
        async with x402HttpxClient(client, base_url=both_server.url, timeout=60) as agent:
            return await agent.post(PAID, json={**DRAFT, "prompt": "a crate bought on Base"})

    answer = asyncio.run(buy())
    assert answer.status_code == 202, answer.text
    settled = decode_payment_response_header(answer.headers["payment-response"])
    assert settled.success and settled.network == "eip155:84532"
    assert balance(evm_devnet, evm_devnet.pay_to) - base_before == 50_000
    assert usdc(svm_devnet, svm_devnet.pay_to) == solana_before


def test_a_resent_solana_payment_returns_the_same_job(http: httpx.Client, svm_devnet: SvmDevnet) -> None:
    accepted = svm_requirement(decode(http.post(PAID, json=DRAFT).headers["payment-required"]))
    header = sign_svm_payment(svm_devnet, svm_devnet.payers[1], accepted)
    before = usdc(svm_devnet, svm_devnet.pay_to)
    with ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(
                lambda _: httpx.post(
                    str(http.base_url) + PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header}, timeout=60
                ),
                range(20),
            )
        )
    assert [a.status_code for a in answers] == [202] * 20, [a.text for a in answers if a.status_code != 202]
    assert len({a.json()["job_id"] for a in answers}) == 1
    again = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
    assert again.json()["job_id"] == answers[0].json()["job_id"]
    other = http.post(PAID, json={**DRAFT, "prompt": "another crate"}, headers={"PAYMENT-SIGNATURE": header})
    assert other.status_code == 409
    assert usdc(svm_devnet, svm_devnet.pay_to) - before == 50_000


def test_metrics_show_solana_settlements_and_the_fee_payers_sol(http: httpx.Client, svm_devnet: SvmDevnet) -> None:
    samples = scrape(http, METRICS_TOKEN)
    solana = {"network": svm_devnet.network}
    assert value(samples, "forge402_settlements_total", **solana, outcome="settled") >= 2
    assert value(samples, "forge402_rpc_seconds_count", **solana, method="sendTransaction", ok="true") >= 2
    assert 0 < value(samples, "forge402_gas_balance", **solana, account="fee_payer", symbol="SOL") < 10**9
    assert value(samples, "forge402_gas_balance", network="eip155:84532", account="facilitator", symbol="ETH") > 0


# ---- crash safety -----------------------------------------------------------------------------------------------

PAYMENTS = 4
BODIES = [{"prompt": f"a wooden crate number {i}", "tier": "draft"} for i in range(PAYMENTS)]


def send_and_kill(live: LiveServer, devnet: SvmDevnet, headers: list[str]) -> None:
    """Post every payment while the devnet holds sent transactions; SIGKILL the service once all are sent."""
    rpc(devnet.rpc_url, "x_holdSends", True)
    pay_then_kill(live, BODIES, headers, lambda: rpc(devnet.rpc_url, "x_heldCount") == PAYMENTS)
    rpc(devnet.rpc_url, "x_holdSends", False)


def crash_setup(tmp_path: Path, devnet: SvmDevnet) -> tuple[dict[str, str], list[str]]:
    env = solana_env(devnet)
    live = LiveServer(tmp_path / "service", env).start()
    with httpx.Client(base_url=live.url, timeout=30) as http:
        accepted = svm_requirement(decode(http.post(PAID, json=BODIES[0]).headers["payment-required"]))
    headers = [sign_svm_payment(devnet, devnet.payers[i % len(devnet.payers)], accepted) for i in range(PAYMENTS)]
    send_and_kill(live, devnet, headers)
    return env, headers


def resend_all(live: LiveServer, headers: list[str]) -> list[httpx.Response]:
    with httpx.Client(base_url=live.url, timeout=30) as http:
        return [http.post(PAID, json=BODIES[i], headers={"PAYMENT-SIGNATURE": headers[i]}) for i in range(PAYMENTS)]


def test_sigkill_during_settlement_then_the_transactions_land(tmp_path: Path) -> None:
    with svm_devnet_running(tmp_path / "chain") as devnet:
        before = usdc(devnet, devnet.pay_to)
        env, headers = crash_setup(tmp_path, devnet)
        released = rpc(devnet.rpc_url, "x_releaseHeld")  # they land while the service is down
        assert all(r["landed"] and r["err"] is None for r in released), released
        with LiveServer(tmp_path / "service", env) as again:
            assert set(ledger_states(again.data_dir)) == {"job_created"}  # reconciled at start-up
            answers = resend_all(again, headers)
            assert [a.status_code for a in answers] == [202] * PAYMENTS, [a.text for a in answers]
            assert len({a.json()["job_id"] for a in answers}) == PAYMENTS
            assert {a.json()["transaction"] for a in answers} == {r["signature"] for r in released}
            with httpx.Client(base_url=again.url, timeout=30) as http:
                for answer in answers:
                    assert wait_done(http, answer.json()["poll_url"])["status"] == "done"
            assert resend_all(again, headers)[0].json()["job_id"] == answers[0].json()["job_id"]
        assert usdc(devnet, devnet.pay_to) - before == PAYMENTS * 50_000
        paid_jobs = backends.current().value(tmp_path / "service", "SELECT count(*) FROM jobs WHERE lane = 'paid'")
        assert paid_jobs == PAYMENTS


def test_sigkill_when_the_cluster_lost_them_resends_the_same_bytes(tmp_path: Path) -> None:
    with svm_devnet_running(tmp_path / "chain") as devnet:
        before = usdc(devnet, devnet.pay_to)
        env, headers = crash_setup(tmp_path, devnet)
        assert rpc(devnet.rpc_url, "x_dropHeld") == PAYMENTS  # as if the leader never got them
        with LiveServer(tmp_path / "service", env) as again:
            answers = resend_all(again, headers)
            assert [a.status_code for a in answers] == [202] * PAYMENTS, [a.text for a in answers]
            assert len({a.json()["job_id"] for a in answers}) == PAYMENTS
        assert usdc(devnet, devnet.pay_to) - before == PAYMENTS * 50_000


def test_sigkill_then_the_blockhash_expires_unlanded_is_not_charged(tmp_path: Path) -> None:
    with svm_devnet_running(tmp_path / "chain") as devnet:
        before = usdc(devnet, devnet.pay_to)
        fee_payer_before = lamports(devnet, devnet.fee_payer)
        env, headers = crash_setup(tmp_path, devnet)
        rpc(devnet.rpc_url, "x_dropHeld")
        rpc(devnet.rpc_url, "x_advanceBlocks", 200)  # their blockhash is dead: they can never land
        with LiveServer(tmp_path / "service", env) as again:
            assert set(ledger_states(again.data_dir)) == {"rejected"}
            answers = resend_all(again, headers)
            assert [a.status_code for a in answers] == [402] * PAYMENTS
            assert {a.json()["error"] for a in answers} == {"invalid_exact_svm_payload_blockhash_expired"}
        assert usdc(devnet, devnet.pay_to) == before
        assert lamports(devnet, devnet.fee_payer) == fee_payer_before


# ---- the default serve ------------------------------------------------------------------------------------------


def test_default_serve_runs_the_solana_devnet_beside_anvil_and_it_dies_with_the_service(tmp_path: Path) -> None:
    env = {"FORGE402_DEVNET": "1"}
    live = LiveServer(tmp_path, env).start()
    try:
        described = json.loads((tmp_path / "devnet.json").read_text())
        assert set(described) >= {"evm", "svm"}
        svm = SvmDevnet.from_json(described["svm"])
        assert svm.network == "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1" and len(svm.payers) >= 1
        assert svm.usdc_mint == "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
        assert rpc(svm.rpc_url, "getGenesisHash").startswith("EtWTRABZaYq6iMfeYKouRu166VU2xqa1")
        required = decode(httpx.post(live.url + PAID, json=DRAFT).headers["payment-required"])
        accepted = svm_requirement(required)
        assert accepted["payTo"] == svm.pay_to and accepted["extra"]["feePayer"] == svm.fee_payer
        header = sign_svm_payment(svm, svm.payers[0], accepted)
        paid = httpx.post(live.url + PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header}, timeout=60)
        assert paid.status_code == 202, paid.text
        pid = child_pid(f"app.devnet.litesvm --port {devnet_port(tmp_path, 'svm')}")
        assert live.proc is not None
        os.kill(live.proc.pid, signal.SIGKILL)  # the service alone, not its process group
        wait_gone(pid)
    finally:
        live.kill()
