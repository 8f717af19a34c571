"""Accounts in-process: signing in with a wallet (the official SDK's sign-in-with-x client hook answering our 402),
sessions, API keys (scopes, revocation, expiry, caps, another wallet's), credits spent on generations, payer-only job
views and the admin API. Paying for credits and the failed-job refunds on the devnets are in test_accounts_paid."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from mcp.shared.exceptions import McpError
from mcp.shared.memory import create_connected_server_and_client_session

from app.mcp.server import build_server
from app.services.caller import Caller
from tests.api import assert_error, wait_done
from tests.backends import Backend
from tests.inprocess import InProcessServer
from tests.wallets import SIWX, bearer, challenge_of, evm_signer, sign_in, signed_payload, siwx_header, solana_signer

DRAFT = {"prompt": "a wooden crate", "tier": "draft"}
BASE = "eip155:84532"
SOLANA = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
ADMIN = "admin-key-for-tests-0123456789"


pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL


def grant(server: InProcessServer, address: str, amount: int) -> None:
    """Credits as the operator grants them (a purchase over x402 is tested on the devnets)."""
    credits = server.app.state.services.store.credits
    server.call(credits.post("grant", f"grant-{time.time_ns()}", address, amount, memo="test grant"))


def balance(server: InProcessServer, address: str) -> int:
    return server.call(server.app.state.services.store.credits.balance(address))


@pytest.fixture(scope="module")
def server(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessServer]:
    env = {"FORGE402_ADMIN_KEY": ADMIN, "FORGE402_RATE_LIMIT_KEY": "1000"}
    with InProcessServer(tmp_path_factory.mktemp("accounts"), env) as served:
        yield served


@pytest.fixture
def http(server: InProcessServer) -> Iterator[httpx.Client]:
    with server.client(timeout=60) as client:
        yield client


def new_key(http: httpx.Client, session: str, **body: Any) -> dict[str, Any]:
    answer = http.post("/api/me/keys", json={"name": "pipeline", "scopes": ["generate", "read"], **body},
                       headers=bearer(session))  # fmt: skip
    assert answer.status_code == 201, answer.text
    return answer.json()


# ---- signing in ---------------------------------------------------------------------------------------------------


def test_me_without_a_wallet_answers_a_sign_in_challenge_as_the_extension_declares_it(http: httpx.Client) -> None:
    answer = http.get("/api/me")
    required = challenge_of(answer)  # PAYMENT-REQUIRED and the JSON body say the same
    assert answer.json()["error"] == "sign_in_required" and answer.json()["message"]
    assert required["x402Version"] == 2 and required["accepts"] == []
    declared = required["extensions"][SIWX]
    info = declared["info"]
    assert info["domain"] == "testserver" and info["uri"] == "http://testserver/api/me"
    assert info["version"] == "1" and len(info["nonce"]) >= 32 and info["issuedAt"] < info["expirationTime"]
    assert info["resources"] == ["http://testserver/api/me"]
    assert declared["supportedChains"] == [{"chainId": BASE, "type": "eip191"}, {"chainId": SOLANA, "type": "ed25519"}]
    assert "signature" in declared["schema"]["required"]
    assert "PAYMENT-REQUIRED" in answer.headers["access-control-expose-headers"]
    assert http.get("/api/me/keys").status_code == 402 and http.get("/api/me/jobs").status_code == 402
    again = challenge_of(http.get("/api/me"))["extensions"][SIWX]["info"]["nonce"]
    assert again != info["nonce"]  # every challenge has its own nonce


@pytest.mark.parametrize("make", [evm_signer, solana_signer], ids=["evm", "solana"])
def test_a_wallet_signs_in_with_the_sdk_hook_and_gets_a_session(http: httpx.Client, make: Any) -> None:
    signer = make()
    proof = siwx_header(http.get("/api/me"), signer)
    answer = http.get("/api/me", headers={"SIGN-IN-WITH-X": proof})
    assert answer.status_code == 200, answer.text
    me = answer.json()
    assert me["address"] == signer.address and me["credit_atomics"] == 0 and me["signed_in_with"] == "session"
    session = answer.headers["x-forge-session"]
    assert not session.startswith("f402_")
    again = http.get("/api/me", headers=bearer(session))
    assert again.status_code == 200 and again.json()["address"] == signer.address
    assert "x-forge-session" not in again.headers  # a bearer session does not sign in again


def test_a_replayed_nonce_is_refused(http: httpx.Client) -> None:
    proof = siwx_header(http.get("/api/me"), evm_signer())
    assert http.get("/api/me", headers={"SIGN-IN-WITH-X": proof}).status_code == 200
    replay = http.get("/api/me", headers={"SIGN-IN-WITH-X": proof})
    assert replay.status_code == 402 and replay.json()["error"] == "invalid_siwx_nonce_used"
    assert "x-forge-session" not in replay.headers
    assert challenge_of(replay)["extensions"][SIWX]["info"]["nonce"]  # a fresh challenge to sign in again


def test_bad_proofs_are_refused_with_a_fresh_challenge(http: httpx.Client) -> None:
    other_origin = signed_payload(http.get("/api/me"), evm_signer(), BASE, domain="evil.example",
                                  uri="https://evil.example/api/me")  # fmt: skip
    refused = http.get("/api/me", headers={"SIGN-IN-WITH-X": other_origin})
    assert_error(refused, 402, "invalid_siwx_domain_mismatch")
    old = signed_payload(http.get("/api/me"), evm_signer(), BASE, issuedAt="2020-01-01T00:00:00.000Z",
                         expirationTime="2020-01-01T00:05:00.000Z")  # fmt: skip
    assert_error(http.get("/api/me", headers={"SIGN-IN-WITH-X": old}), 402, "invalid_siwx_issued_at_too_old")
    mainnet = signed_payload(http.get("/api/me"), evm_signer(), "eip155:1")
    assert_error(http.get("/api/me", headers={"SIGN-IN-WITH-X": mainnet}), 402, "invalid_siwx_unsupported_chain")
    assert_error(http.get("/api/me", headers={"SIGN-IN-WITH-X": "garbage"}), 402, "invalid_siwx_payload")


def test_a_session_token_that_is_forged_or_not_ours_signs_nobody_in(http: httpx.Client) -> None:
    session = sign_in(http, evm_signer())
    body, mac = session.rsplit(".", 1)
    forged = body + "." + ("A" if mac[0] != "A" else "B") + mac[1:]
    assert_error(http.get("/api/me", headers=bearer(forged)), 402, "session_expired")
    assert_error(http.get("/api/me", headers=bearer("not-a-token")), 401, "invalid_token")
    assert_error(http.get("/api/me", headers={"Authorization": "Basic abc"}), 401, "invalid_authorization")


# ---- API keys -----------------------------------------------------------------------------------------------------


def test_keys_are_shown_once_listed_without_their_secret_and_revoked(http: httpx.Client) -> None:
    session = sign_in(http, evm_signer())
    created = new_key(http, session, spend_cap=1000)
    key = created["key"]
    assert key.startswith("f402_") and len(key) >= 40 and created["prefix"] == key[:12]
    assert created["scopes"] == ["generate", "read"] and created["state"] == "active"
    listed = http.get("/api/me/keys", headers=bearer(session)).json()["keys"]
    assert [k["id"] for k in listed] == [created["id"]]
    assert key not in str(listed) and "key_hash" not in listed[0]
    me = http.get("/api/me", headers=bearer(key)).json()
    assert me["signed_in_with"] == "key" and me["key_id"] == created["id"]
    assert_error(http.post("/api/me/keys", json={"name": "x", "scopes": ["read"]}, headers=bearer(key)), 403,
                 "insufficient_scope")  # fmt: skip
    revoked = http.delete(f"/api/me/keys/{created['id']}", headers=bearer(session))
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert_error(http.get("/api/me", headers=bearer(key)), 401, "api_key_revoked")
    assert_error(http.post("/api/forge", json=DRAFT, headers=bearer(key)), 401, "api_key_revoked")
    assert_error(http.get("/api/me", headers=bearer(key[:-2] + "zz")), 401, "invalid_api_key")


def test_an_expired_key_is_refused(http: httpx.Client) -> None:
    session = sign_in(http, evm_signer())
    past = "2020-01-01T00:00:00Z"
    assert_error(http.post("/api/me/keys", json={"name": "old", "scopes": ["read"], "expires_at": past},
                           headers=bearer(session)), 400, "invalid_field")  # fmt: skip
    soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    key = new_key(http, session, expires_at=soon)["key"]
    assert http.get("/api/me", headers=bearer(key)).status_code == 200
    time.sleep(2.5)
    assert_error(http.get("/api/me", headers=bearer(key)), 401, "api_key_expired")
    assert http.get("/api/me/keys", headers=bearer(session)).json()["keys"][0]["state"] == "expired"


def test_scopes_are_enforced_on_every_route(http: httpx.Client, server: InProcessServer) -> None:
    signer = evm_signer()
    session = sign_in(http, signer)
    grant(server, signer.address, 1_000_000)
    reader = new_key(http, session, scopes=["read"])["key"]
    generator = new_key(http, session, scopes=["generate"])["key"]
    assert_error(http.post("/api/forge", json=DRAFT, headers=bearer(reader)), 403, "insufficient_scope")
    assert_error(http.get("/api/me", headers=bearer(generator)), 403, "insufficient_scope")
    assert_error(http.get("/api/me/jobs", headers=bearer(generator)), 403, "insufficient_scope")
    assert_error(http.get("/api/me/keys", headers=bearer(reader)), 403, "insufficient_scope")
    assert http.post("/api/forge", json=DRAFT, headers=bearer(generator)).status_code in (200, 202)
    assert balance(server, signer.address) == 1_000_000 - 50_000


def test_a_key_of_one_wallet_reaches_nothing_of_another(http: httpx.Client, server: InProcessServer) -> None:
    alice, bob = evm_signer(), solana_signer()
    alice_session, bob_session = sign_in(http, alice), sign_in(http, bob)
    grant(server, alice.address, 100_000)
    alice_key = new_key(http, alice_session)
    bob_key = new_key(http, bob_session)["key"]
    job = http.post("/api/forge", json=DRAFT, headers=bearer(alice_key["key"])).json()
    assert_error(http.get(f"/api/me/jobs/{job['job_id']}", headers=bearer(bob_key)), 404, "job_not_found")
    assert http.get("/api/me/jobs", headers=bearer(bob_key)).json() == {"jobs": [], "next_cursor": None}
    assert_error(http.delete(f"/api/me/keys/{alice_key['id']}", headers=bearer(bob_session)), 404, "key_not_found")
    assert http.get("/api/me", headers=bearer(alice_key["key"])).json()["address"] == alice.address
    assert_error(http.post("/api/forge", json=DRAFT, headers=bearer(bob_key)), 402, "insufficient_credits")
    assert balance(server, alice.address) == 50_000  # bob's key spent nothing of alice's


# ---- credits ------------------------------------------------------------------------------------------------------


def test_a_key_spends_credits_and_reads_its_jobs(http: httpx.Client, server: InProcessServer) -> None:
    signer = evm_signer()
    session = sign_in(http, signer)
    key = new_key(http, session)["key"]
    assert_error(http.post("/api/forge", json=DRAFT, headers=bearer(key)), 402, "insufficient_credits")
    grant(server, signer.address, 120_000)
    answer = http.post("/api/forge", json=DRAFT, headers=bearer(key))
    assert answer.status_code in (200, 202), answer.text
    assert answer.headers["x-ratelimit-limit"] == "1000" and "x-ratelimit-remaining" in answer.headers
    job = answer.json()
    assert job["credits_used"] == 50_000 and job["credits_remaining"] == 70_000
    done = wait_done(http, job["poll_url"])
    assert done["status"] == "done" and done["payment"]["method"] == "credits"
    assert done["credits_used"] == 50_000 and done["credits_remaining"] is None  # not shown to a stranger
    mine = http.get(f"/api/forge?job={job['job_id']}", headers=bearer(key)).json()
    assert mine["credits_remaining"] == 70_000
    listed = http.get("/api/me/jobs", headers=bearer(key)).json()
    assert [j["job_id"] for j in listed["jobs"]] == [job["job_id"]] and listed["jobs"][0]["glb_url"]
    me = http.get("/api/me", headers=bearer(key)).json()
    assert me["credit_atomics"] == 70_000
    assert [t["kind"] for t in me["transactions"]] == ["spend", "grant"]
    assert me["transactions"][0]["delta_atomics"] == -50_000


def test_a_key_past_its_cap_is_refused(http: httpx.Client, server: InProcessServer) -> None:
    signer = evm_signer()
    session = sign_in(http, signer)
    grant(server, signer.address, 1_000_000)
    capped = new_key(http, session, spend_cap=60_000)
    assert http.post("/api/forge", json=DRAFT, headers=bearer(capped["key"])).status_code in (200, 202)
    assert_error(http.post("/api/forge", json=DRAFT, headers=bearer(capped["key"])), 403, "spend_cap_reached")
    listed = http.get("/api/me/keys", headers=bearer(session)).json()["keys"]
    assert listed[0]["spent"] == 50_000 and listed[0]["spend_cap"] == 60_000
    assert balance(server, signer.address) == 950_000
    assert http.post("/api/forge", json=DRAFT, headers=bearer(session)).status_code in (200, 202)  # the wallet may


def test_the_job_list_pages_by_cursor(http: httpx.Client, server: InProcessServer) -> None:
    signer = solana_signer()
    session = sign_in(http, signer)
    grant(server, signer.address, 150_000)
    ids = [http.post("/api/forge", json=DRAFT, headers=bearer(session)).json()["job_id"] for _ in range(3)]
    first = http.get("/api/me/jobs?limit=2", headers=bearer(session)).json()
    assert [j["job_id"] for j in first["jobs"]] == ids[::-1][:2] and first["next_cursor"]
    rest = http.get(f"/api/me/jobs?limit=2&cursor={first['next_cursor']}", headers=bearer(session)).json()
    assert [j["job_id"] for j in rest["jobs"]] == ids[:1] and rest["next_cursor"] is None
    assert_error(http.get("/api/me/jobs?limit=0", headers=bearer(session)), 400, "invalid_parameter")
    assert_error(http.get("/api/me/jobs?cursor=%%%", headers=bearer(session)), 400, "invalid_cursor")


# ---- the admin API --------------------------------------------------------------------------------------------------


def test_the_admin_api_needs_its_key(http: httpx.Client) -> None:
    assert_error(http.get("/api/admin/payments"), 401, "invalid_admin_key")
    assert_error(http.get("/api/admin/payments", headers=bearer("wrong")), 401, "invalid_admin_key")
    books = http.get("/api/admin/payments", headers=bearer(ADMIN))
    assert books.status_code == 200 and books.json() == {"payments": []}  # no paid lane on this server
    assert http.get("/api/admin/payments?format=csv", headers=bearer(ADMIN)).text.startswith("created_at,network")
    assert_error(http.get("/api/admin/payments?since=yesterday", headers=bearer(ADMIN)), 400, "invalid_parameter")
    for bad in ("offset=false", "offset=-1", "limit=x"):  # checked in the CSV export too (schemathesis found it)
        for shape in ("json", "csv"):
            answer = http.get(f"/api/admin/payments?{bad}&format={shape}", headers=bearer(ADMIN))
            assert_error(answer, 400, "invalid_parameter")
    assert http.get("/api/admin/reconcile", headers=bearer(ADMIN)).json() == {"ok": True, "problems": []}


def test_a_refund_for_a_job_that_succeeded_is_refused(http: httpx.Client, server: InProcessServer) -> None:
    signer = evm_signer()
    session = sign_in(http, signer)
    grant(server, signer.address, 50_000)
    job = http.post("/api/forge", json=DRAFT, headers=bearer(session)).json()
    assert wait_done(http, job["poll_url"])["status"] == "done"
    asked = http.post("/api/admin/refunds", json={"job_id": job["job_id"]}, headers=bearer(ADMIN))
    assert_error(asked, 409, "job_not_failed")
    free = http.post("/api/forge", json=DRAFT).json()
    assert_error(http.post("/api/admin/refunds", json={"job_id": free["job_id"]}, headers=bearer(ADMIN)), 404,
                 "not_a_paid_job")  # fmt: skip
    assert balance(server, signer.address) == 0


# ---- jobs that fail, payer-only views (servers of their own) ------------------------------------------------------


@pytest.fixture(scope="module")
def failing(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessServer]:
    """Every job times out: the engine is stopped before it can build anything. Paid views are the payer's only."""
    env = {"FORGE402_JOB_TIMEOUT_SECONDS": "0.001", "FORGE402_ADMIN_KEY": ADMIN, "FORGE402_PAID_VIEWS": "payer",
           "FORGE402_REFUND_POLL_SECONDS": "0.1"}  # fmt: skip
    with InProcessServer(tmp_path_factory.mktemp("failing"), env) as served:
        yield served


def wait_refunded(http: httpx.Client, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        view = http.get(f"/api/forge?job={job_id}", headers=headers).json()
        if view.get("refund"):
            return view
        time.sleep(0.05)
    raise AssertionError(f"{job_id} was not refunded: {view}")


def test_a_generation_that_fails_spends_nothing(failing: InProcessServer) -> None:
    signer = evm_signer()
    with failing.client(timeout=60) as http:
        session = sign_in(http, signer)
        grant(failing, signer.address, 50_000)
        key = new_key(http, session, spend_cap=50_000)["key"]
        job = http.post("/api/forge", json=DRAFT, headers=bearer(key)).json()
        view = wait_refunded(http, job["job_id"], bearer(key))
        assert view["status"] == "failed" and view["error"]["code"] == "timeout"
        assert view["refund"]["method"] == "credit" and view["refund"]["state"] == "credited"
        assert view["credits_used"] == 0 and view["credits_remaining"] == 50_000
        assert balance(failing, signer.address) == 50_000
        second = http.post("/api/forge", json=DRAFT, headers=bearer(key))  # the cap counts what was kept only
        assert second.status_code in (200, 202), second.text
        wait_refunded(http, second.json()["job_id"], bearer(key))
        me = http.get("/api/me", headers=bearer(session)).json()
        assert [t["kind"] for t in me["transactions"]] == ["refund", "spend", "refund", "spend", "grant"]


def test_a_refund_asked_twice_is_one_refund(failing: InProcessServer) -> None:
    signer = solana_signer()
    with failing.client(timeout=60) as http:
        session = sign_in(http, signer)
        grant(failing, signer.address, 50_000)
        job = http.post("/api/forge", json=DRAFT, headers=bearer(session)).json()
        wait_refunded(http, job["job_id"], bearer(session))  # the keeper refunded it
        for _ in range(2):  # and the operator asks again
            asked = http.post("/api/admin/refunds", json={"job_id": job["job_id"]}, headers=bearer(ADMIN))
            assert asked.status_code == 200 and asked.json()["refund"]["state"] == "credited"
        assert balance(failing, signer.address) == 50_000
        refunds = http.get("/api/admin/refunds", headers=bearer(ADMIN)).json()["refunds"]
        assert [r["job_id"] for r in refunds].count(job["job_id"]) == 1
        assert http.get("/api/admin/credits", headers=bearer(ADMIN)).json()["refund"] >= 50_000


def test_payer_only_views_show_a_paid_job_to_its_payer_alone(failing: InProcessServer) -> None:
    payer, stranger = evm_signer(), evm_signer()
    with failing.client(timeout=60) as http:
        session = sign_in(http, payer)
        grant(failing, payer.address, 50_000)
        job = http.post("/api/forge", json=DRAFT, headers=bearer(session)).json()
        anonymous = http.get(f"/api/forge?job={job['job_id']}")
        assert anonymous.status_code == 402 and challenge_of(anonymous)["extensions"][SIWX]["info"]["nonce"]
        other = new_key(http, sign_in(http, stranger))["key"]
        assert_error(http.get(f"/api/forge?job={job['job_id']}", headers=bearer(other)), 404, "job_not_found")
        assert http.get(f"/api/forge?job={job['job_id']}", headers=bearer(session)).status_code == 200
        proof = siwx_header(anonymous, payer)  # an agent with the SDK's hook signs in on the poll itself
        signed = http.get(f"/api/forge?job={job['job_id']}", headers={"SIGN-IN-WITH-X": proof})
        assert signed.status_code == 200 and signed.headers["x-forge-session"]
        free = http.post("/api/forge", json=DRAFT).json()
        assert http.get(f"/api/forge?job={free['job_id']}").status_code == 200  # free jobs stay open


def test_payer_only_paid_jobs_are_not_shown_over_mcp(failing: InProcessServer) -> None:
    """MCP carries no wallet: with payer-only views, forge_status and the job's resources refuse a paid job (the
    payer reads it over HTTP); free jobs stay open there too."""
    payer = evm_signer()
    with failing.client(timeout=60) as http:
        session = sign_in(http, payer)
        grant(failing, payer.address, 50_000)
        paid = http.post("/api/forge", json=DRAFT, headers=bearer(session)).json()["job_id"]
        free = http.post("/api/forge", json=DRAFT).json()["job_id"]
    served = (failing.app.state.services, Caller(failing.url, address="127.0.0.1"))

    async def scenario() -> tuple[Any, Any, str]:
        async with create_connected_server_and_client_session(build_server(lambda _request: served)) as client:
            refused = await client.call_tool("forge_status", {"job_id": paid})
            shown = await client.call_tool("forge_status", {"job_id": free})
            with pytest.raises(McpError) as resource:
                await client.read_resource(f"forge://jobs/{paid}/model.glb")  # type: ignore[arg-type]
            return refused, shown, resource.value.error.message

    refused, shown, message = failing.call(scenario())
    assert refused.isError and refused.structuredContent["error"] == "sign_in_required"
    assert not shown.isError and shown.structuredContent["job_id"] == free
    assert "payer only" in message
