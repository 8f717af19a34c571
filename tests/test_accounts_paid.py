"""Accounts end to end on real servers and both chains' devnets: the official SDK's httpx client signing in by itself
on a 402, credit bundles bought over x402 on Base (the official Python SDK) and Solana (the official TypeScript
client), a payment sent twice buying one grant, 50 concurrent spends of the last credit across two worker processes,
and paid jobs that fail for good credited back to their payer, found again after signing in."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from solders.keypair import Keypair

from app.devnet.anvil import EvmDevnet, anvil_account, mint_usdc
from app.devnet.litesvm import SvmDevnet
from app.devnet.litesvm import rpc as svm_rpc
from tests import backends
from tests.api import assert_error, wait_done
from tests.backends import Backend
from tests.devnet import evm_devnet_fixture, receipt_status  # noqa: F401
from tests.live import LiveServer, clean_environment
from tests.mcp_clients import evm_x402, in_session, paying, structured
from tests.paid import (  # noqa: F401
    PAID,
    balance,
    decode,
    node_client,
    paid_env,
    sdk_pay,
    solana_env,
    svm_devnet_fixture,
    v2_payment,
)
from tests.paid import usdc as svm_usdc
from tests.wallets import bearer, evm_signer, sign_in, signed_in_agent, solana_signer

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

CREDITS = "/api/x402/credits"
DRAFT = {"prompt": "a wooden crate", "tier": "draft"}
ADMIN = "admin-key-for-tests-0123456789"
BUNDLES = "starter:100000:100000,bonus:200000:250000"


def server_env(evm: EvmDevnet, svm: SvmDevnet, **extra: str) -> dict[str, str]:
    return {**paid_env(evm), **solana_env(svm), "FORGE402_CREDIT_BUNDLES": BUNDLES, "FORGE402_ADMIN_KEY": ADMIN,
            "FORGE402_RATE_LIMIT_KEY": "0", **extra}  # fmt: skip


@pytest.fixture(scope="module")
def live(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet,
         svm_devnet: SvmDevnet) -> Iterator[LiveServer]:  # fmt: skip
    with LiveServer(tmp_path_factory.mktemp("accounts-live"), server_env(evm_devnet, svm_devnet), workers=2) as srv:
        yield srv


@pytest.fixture(scope="module")
def failing(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet,
            svm_devnet: SvmDevnet) -> Iterator[LiveServer]:  # fmt: skip
    """Every job fails for good (the engine is stopped before it builds anything): paid jobs must be made good."""
    env = server_env(evm_devnet, svm_devnet, FORGE402_JOB_TIMEOUT_SECONDS="0.001", FORGE402_REFUND_POLL_SECONDS="0.1")
    with LiveServer(tmp_path_factory.mktemp("accounts-failing"), env) as srv:
        yield srv


def me(url: str, token: str) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=30) as http:
        answer = http.get("/api/me", headers=bearer(token))
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.mark.parametrize("make", [evm_signer, solana_signer], ids=["evm", "solana"])
def test_the_sdk_client_signs_in_by_itself_on_a_402(live: LiveServer, make: Any) -> None:
    signer = make()

    async def visit() -> httpx.Response:
        async with signed_in_agent(signer, live.url) as agent:
            return await agent.get("/api/me")

    answer = asyncio.run(visit())
    assert answer.status_code == 200, answer.text
    assert answer.json()["address"] == signer.address
    assert me(live.url, answer.headers["x-forge-session"])["address"] == signer.address


@pytest.mark.parametrize("kind", ["evm", "solana"])
def test_the_typescript_sdk_signs_in_by_itself_on_a_402(live: LiveServer, kind: str) -> None:
    """@x402/extensions' wrapFetchWithSIWx, the official TypeScript helper, against our challenge and checks."""
    if kind == "evm":
        key = "0x" + "6b" * 32
        address = evm_signer(key).address
    else:
        keypair = Keypair()
        key, address = str(keypair), str(keypair.pubkey())
    result = node_client("siwx_fetch.mjs", live.url + "/api/me", kind, key)
    assert result["status"] == 200 and result["body"]["address"] == address, result
    assert me(live.url, result["session"])["address"] == address


def test_the_sign_in_script_gets_a_session_for_curl(live: LiveServer) -> None:
    key = "0x" + "5a" * 32
    command = [sys.executable, "scripts/sign_in.py", "--server", live.url, "--key", key]
    done = subprocess.run(command, capture_output=True, text=True, env=clean_environment({}), check=False)
    assert done.returncode == 0, done.stderr
    assert me(live.url, done.stdout.strip())["address"] == evm_signer(key).address


def test_a_bundle_bought_on_base_is_credited_once_to_the_payer(live: LiveServer, evm_devnet: EvmDevnet) -> None:
    payer = evm_devnet.payers[1]
    with httpx.Client(base_url=live.url, timeout=60) as http:
        listed = http.get(CREDITS).json()
        assert [b["id"] for b in listed["bundles"]] == ["starter", "bonus"] and listed["refund_policy"]
        assert listed["bundles"][1]["bonus_atomics"] == 50_000
        unpaid = http.post(CREDITS, json={"bundle": "bonus"})
        assert unpaid.status_code == 402
        required = decode(unpaid.headers["payment-required"])
        assert {a["amount"] for a in required["accepts"]} == {"200000"}
        assert {a["network"].split(":")[0] for a in required["accepts"]} == {"eip155", "solana"}
        session = sign_in(http, evm_signer(payer.private_key))
        before_usdc, before_credits = balance(evm_devnet, evm_devnet.pay_to), me(live.url, session)["credit_atomics"]
        bought = sdk_pay(live.url, payer, {"bundle": "bonus"}, path=CREDITS)
        assert bought.status_code == 200, bought.text
        purchase = bought.json()
        assert purchase["address"] == payer.address and purchase["credit_atomics"] == 250_000
        assert purchase["credits_remaining"] == before_credits + 250_000 and purchase["transaction"].startswith("0x")
        assert balance(evm_devnet, evm_devnet.pay_to) - before_usdc == 200_000
        # one payment sent three times (two at once, then a retry after a lost answer): one purchase, one grant
        accepted = next(a for a in required["accepts"] if a["network"] == evm_devnet.network)
        starter = {**accepted, "amount": "100000"}
        header = v2_payment(evm_devnet, payer, starter)
        with ThreadPoolExecutor(2) as pool:
            copies = list(pool.map(lambda _: http.post(CREDITS, json={"bundle": "starter"},
                                                       headers={"PAYMENT-SIGNATURE": header}), range(2)))  # fmt: skip
        copies.append(http.post(CREDITS, json={"bundle": "starter"}, headers={"PAYMENT-SIGNATURE": header}))
        assert [c.status_code for c in copies] == [200, 200, 200], [c.text for c in copies]
        assert len({c.json()["purchase_id"] for c in copies}) == 1
        other_body = http.post(CREDITS, json={"bundle": "bonus"}, headers={"PAYMENT-SIGNATURE": header})
        assert other_body.status_code in (402, 409)
        assert balance(evm_devnet, evm_devnet.pay_to) - before_usdc == 300_000
        before_credits += 100_000
        account = me(live.url, session)
        assert account["credit_atomics"] == before_credits + 250_000
        assert [t["kind"] for t in account["transactions"]].count("purchase") >= 1
        key = http.post("/api/me/keys", json={"name": "ci", "scopes": ["generate", "read"]},
                        headers=bearer(session)).json()["key"]  # fmt: skip
        job = http.post("/api/forge", json=DRAFT, headers=bearer(key))
        assert job.status_code in (200, 202) and job.json()["credits_remaining"] == before_credits + 200_000
        books = http.get("/api/admin/payments", params={"payer": payer.address}, headers=bearer(ADMIN)).json()
        assert any(p["product"] == "credits:bonus" and p["state"] == "job_created" for p in books["payments"])


def test_a_bundle_bought_on_solana_is_credited_to_the_solana_wallet(live: LiveServer, svm_devnet: SvmDevnet) -> None:
    payer = svm_devnet.payers[1]
    before = svm_usdc(svm_devnet, svm_devnet.pay_to)
    result = node_client("pay_svm.mjs", live.url + CREDITS, payer.secret_key_base58, json.dumps({"bundle": "starter"}),
                         svm_devnet.rpc_url)  # fmt: skip
    assert result["status"] == 200, result
    assert result["body"]["address"] == payer.address and result["body"]["network"] == svm_devnet.network
    assert svm_usdc(svm_devnet, svm_devnet.pay_to) - before == 100_000
    with httpx.Client(base_url=live.url, timeout=60) as http:
        session = sign_in(http, solana_signer(payer.keypair))
        assert me(live.url, session)["credit_atomics"] >= 100_000


def test_fifty_concurrent_spends_of_the_last_credit_make_one_job(live: LiveServer) -> None:
    signer = evm_signer()
    with httpx.Client(base_url=live.url, timeout=60) as http:
        session = sign_in(http, signer)
        key = http.post("/api/me/keys", json={"name": "burst", "scopes": ["generate", "read"]},
                        headers=bearer(session)).json()["key"]  # fmt: skip
    admin_grant(live, signer.address, 50_000)  # exactly one draft

    def spend(_: int) -> httpx.Response:
        with httpx.Client(base_url=live.url, timeout=120) as client:
            return client.post("/api/forge", json=DRAFT, headers=bearer(key))

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(spend, range(50)))
    won = [a for a in answers if a.status_code in (200, 202)]
    lost = [a for a in answers if a.status_code == 402]
    assert len(won) == 1 and len(lost) == 49, [a.status_code for a in answers]
    for answer in lost:
        assert_error(answer, 402, "insufficient_credits")
    assert me(live.url, session)["credit_atomics"] == 0
    with httpx.Client(base_url=live.url, timeout=60) as http:
        assert len(http.get("/api/me/jobs", headers=bearer(session)).json()["jobs"]) == 1
        assert http.get("/api/admin/reconcile", headers=bearer(ADMIN)).json()["ok"]


def admin_grant(server: LiveServer, address: str, amount: int) -> None:
    """The operator grants credits (`forge402 payments grant`, on the server's database, beside it)."""
    command = [sys.executable, "-m", "app.cli", "payments", "grant", address, str(amount), "--data-dir",
               str(server.data_dir)]  # fmt: skip
    env = clean_environment(backends.current().server_env(server.data_dir))  # the server's own database
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr


def wait_refund(http: httpx.Client, job_id: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    view: dict[str, Any] = {}
    while time.monotonic() < deadline:
        view = http.get(f"/api/forge?job={job_id}", headers=headers or {}).json()
        if view.get("refund"):
            return view
        time.sleep(0.1)
    raise AssertionError(f"{job_id} was never refunded: {view}")


def test_a_paid_job_that_fails_for_good_is_credited_to_its_payer_on_base(
    failing: LiveServer, evm_devnet: EvmDevnet
) -> None:
    payer = evm_devnet.payers[2]
    answer = sdk_pay(failing.url, payer, DRAFT)
    assert answer.status_code == 202, answer.text
    job = answer.json()
    with httpx.Client(base_url=failing.url, timeout=60) as http:
        failed = wait_done(http, job["poll_url"])
        assert failed["status"] == "failed" and failed["payment"]["method"] == "x402"
        view = wait_refund(http, job["job_id"])
        assert view["refund"] == {"method": "credit", "state": "credited", "amount_atomics": 50_000, "network": None,
                                  "transaction": None, "reason": failed["error"]["code"]}  # fmt: skip
        session = sign_in(http, evm_signer(payer.private_key))  # the payer comes back
        account = me(failing.url, session)
        assert account["credit_atomics"] == 50_000
        assert account["transactions"][0]["kind"] == "refund" and account["transactions"][0]["ref"] == job["job_id"]
        mine = http.get("/api/me/jobs", headers=bearer(session)).json()["jobs"]
        assert [j["job_id"] for j in mine] == [job["job_id"]]
        assert mine[0]["payment"]["transaction"] == job["transaction"] and mine[0]["refund"]["state"] == "credited"
        # the credit pays for the next try: it fails too, and is made good again
        retry = http.post("/api/forge", json=DRAFT, headers=bearer(session))
        assert retry.status_code in (200, 202), retry.text
        assert wait_refund(http, retry.json()["job_id"], bearer(session))["credits_remaining"] == 50_000
        revenue = http.get("/api/admin/revenue", headers=bearer(ADMIN)).json()
        day = next(d for d in revenue["days"] if d["network"] == evm_devnet.network)
        assert day["refunds"] >= 1 and day["net"] == day["gross"] - day["refunded"]


def test_a_paid_job_that_fails_for_good_is_credited_to_its_payer_on_solana(
    failing: LiveServer, svm_devnet: SvmDevnet
) -> None:
    payer = svm_devnet.payers[2]
    result = node_client("pay_svm.mjs", failing.url + PAID, payer.secret_key_base58, json.dumps(DRAFT),
                         svm_devnet.rpc_url)  # fmt: skip
    assert result["status"] == 202, result
    with httpx.Client(base_url=failing.url, timeout=60) as http:
        view = wait_refund(http, result["body"]["job_id"])
        assert view["refund"]["state"] == "credited" and view["payment"]["network"] == svm_devnet.network
        session = sign_in(http, solana_signer(payer.keypair))
        assert me(failing.url, session)["credit_atomics"] == 50_000


def test_a_job_paid_over_mcp_that_fails_for_good_is_credited_to_its_payer(
    failing: LiveServer, evm_devnet: EvmDevnet
) -> None:
    """The MCP transport pays through the same gateway and ledger: its job has a charge, so it is made good too."""
    payer = evm_devnet.payers[1]  # [2] is the HTTP test's on this server: this one counts its own credits only
    with httpx.Client(base_url=failing.url, timeout=60) as http:
        session = sign_in(http, evm_signer(payer.private_key))
    before = me(failing.url, session)["credit_atomics"]
    paid = in_session(failing.url, lambda session: paying(session, evm_x402(payer)).call_tool("forge_generate", DRAFT))
    assert paid.payment_made and not paid.is_error, paid
    job_id = structured(paid)["job_id"]
    with httpx.Client(base_url=failing.url, timeout=60) as http:
        view = wait_refund(http, job_id)
        assert view["status"] == "failed" and view["payment"]["transaction"] == paid.payment_response.transaction
        assert view["refund"]["state"] == "credited" and view["refund"]["amount_atomics"] == 50_000
        account = me(failing.url, session)
        assert account["credit_atomics"] - before == 50_000 and account["transactions"][0]["ref"] == job_id
        print(f"\npaid over MCP on {view['payment']['network']}: tx {view['payment']['transaction']}, job {job_id}"
              f"\njob {view['status']}: {view['error']['code']} ({view['error']['message']})"
              f"\nrefund: {view['refund']}\n{account['address']} balance: {account['credit_atomics']} atomics, "
              f"history: {[(t['kind'], t['ref'], t['delta_atomics']) for t in account['transactions']]}")  # fmt: skip


# ---- on-chain refunds ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def refunding(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet,
              svm_devnet: SvmDevnet) -> Iterator[tuple[LiveServer, str, str]]:  # fmt: skip
    """Every job fails for good, and failed per-call payments go back on chain from refund wallets of their own
    (Base: anvil account 7 with USDC and ETH; Solana: a new keypair with USDC and SOL)."""
    evm_wallet = anvil_account(7)
    asyncio.run(mint_usdc(evm_devnet.rpc_url, evm_wallet.address, 10_000_000))
    svm_wallet = Keypair()
    svm_rpc(svm_devnet.rpc_url, "requestAirdrop", str(svm_wallet.pubkey()), 1_000_000_000)
    svm_rpc(svm_devnet.rpc_url, "x_setTokenBalance", str(svm_wallet.pubkey()), svm_devnet.usdc_mint, 10_000_000)
    env = server_env(
        evm_devnet, svm_devnet, FORGE402_JOB_TIMEOUT_SECONDS="0.001", FORGE402_REFUND_POLL_SECONDS="0.1",
        FORGE402_REFUND_MODE="onchain", FORGE402_EVM_REFUND_KEY=evm_wallet.private_key,
        FORGE402_SVM_REFUND_KEY=str(svm_wallet),
    )  # fmt: skip
    with LiveServer(tmp_path_factory.mktemp("accounts-refunding"), env) as srv:
        yield srv, evm_wallet.address, str(svm_wallet.pubkey())


def wait_sent(http: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    view: dict[str, Any] = {}
    while time.monotonic() < deadline:
        view = http.get(f"/api/forge?job={job_id}").json()
        if (view.get("refund") or {}).get("state") in ("sent", "credited"):
            return view
        time.sleep(0.1)
    raise AssertionError(f"{job_id} was never refunded: {view}")


def test_a_failed_job_paid_on_base_is_refunded_on_chain_once(
    refunding: tuple[LiveServer, str, str], evm_devnet: EvmDevnet
) -> None:
    server, wallet, _ = refunding
    payer = evm_devnet.payers[0]
    payer_before, wallet_before = balance(evm_devnet, payer.address), balance(evm_devnet, wallet)
    answer = sdk_pay(server.url, payer, DRAFT)
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    with httpx.Client(base_url=server.url, timeout=90) as http:
        view = wait_sent(http, job_id)
        refund = view["refund"]
        assert refund["method"] == "onchain" and refund["state"] == "sent", refund
        assert refund["network"] == evm_devnet.network and refund["transaction"].startswith("0x")
        for _ in range(2):  # the operator asks again: the same refund
            again = http.post("/api/admin/refunds", json={"job_id": job_id}, headers=bearer(ADMIN))
            assert again.status_code == 200 and again.json()["refund"]["transaction"] == refund["transaction"]
        assert asyncio.run(receipt_status(evm_devnet, refund["transaction"])) == 1
    assert balance(evm_devnet, payer.address) == payer_before  # paid 50_000, got 50_000 back
    assert wallet_before - balance(evm_devnet, wallet) == 50_000


def test_a_failed_job_paid_on_solana_is_refunded_on_chain(
    refunding: tuple[LiveServer, str, str], svm_devnet: SvmDevnet
) -> None:
    server, _, wallet = refunding
    payer = svm_devnet.payers[0]
    payer_before, wallet_before = svm_usdc(svm_devnet, payer.address), svm_usdc(svm_devnet, wallet)
    result = node_client("pay_svm.mjs", server.url + PAID, payer.secret_key_base58, json.dumps(DRAFT),
                         svm_devnet.rpc_url)  # fmt: skip
    assert result["status"] == 202, result
    with httpx.Client(base_url=server.url, timeout=90) as http:
        refund = wait_sent(http, result["body"]["job_id"])["refund"]
    assert refund["method"] == "onchain" and refund["state"] == "sent" and refund["network"] == svm_devnet.network
    assert svm_usdc(svm_devnet, payer.address) == payer_before
    assert wallet_before - svm_usdc(svm_devnet, wallet) == 50_000
