"""Beyond one process: several API processes on one store settle every valid payment exactly once (one facilitator
key, nonces from the ledger), a node killed with signed transactions in flight is reconciled by its peer without a
second send, an engine node killed mid-job loses nothing, a worker drains on SIGTERM, and a database migrated by a
newer release is refused at start. Each on SQLite (processes of one machine) and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.devnet.anvil import EvmDevnet
from app.store.sqlite.schema import APP
from tests import backends
from tests.api import wait_done, wait_for
from tests.backends import Backend
from tests.devnet import evm_devnet_running, mining_every_second, web3_for
from tests.live import ROOT, LiveServer, WorkerProcess, clean_environment
from tests.paid import PAID, balance, challenge, decode, facilitator_nonce, paid_env, post_all, v2_payment, wait_until

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

DRAFT = {"prompt": "a wooden crate", "tier": "draft"}


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[EvmDevnet]:
    """A Base devnet of the test's own (tests below stop its mining, kill its clients mid-send)."""
    with evm_devnet_running(tmp_path / "chain") as devnet:
        yield devnet


def payments(devnet: EvmDevnet, accepted: dict[str, Any], count: int) -> list[str]:
    """`count` valid payment headers, from the devnet's payers in turn."""
    return [v2_payment(devnet, devnet.payers[i % len(devnet.payers)], accepted) for i in range(count)]


def receipts_ok(devnet: EvmDevnet, transactions: list[str]) -> bool:
    w3 = web3_for(devnet)
    return all(w3.eth.get_transaction_receipt(tx)["status"] == 1 for tx in transactions)  # type: ignore[arg-type]


def test_a_paid_burst_across_two_api_processes_with_one_second_blocks_is_accepted_whole(
    tmp_path: Path, chain: EvmDevnet
) -> None:
    """32 valid payments at once, on `serve --workers 2`: every one accepted (none refused by our own nonces),
    each settled by one transaction that did not revert."""
    count = 32
    with LiveServer(tmp_path / "node", paid_env(chain), workers=2) as live:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            accepted = challenge(http, DRAFT)["accepts"][0]
        headers = payments(chain, accepted, count)
        before, nonce_before = balance(chain, chain.pay_to), facilitator_nonce(chain)
        with mining_every_second(chain):
            answers = post_all([live.url], headers, [DRAFT] * count, concurrency=count)
    assert [a.status_code for a in answers] == [202] * count, [a.text for a in answers if a.status_code != 202]
    assert len({a.json()["job_id"] for a in answers}) == count
    transactions = [decode(a.headers["payment-response"])["transaction"] for a in answers]
    assert balance(chain, chain.pay_to) - before == count * int(accepted["amount"])
    assert facilitator_nonce(chain) - nonce_before == count  # one transaction per payment, no retry, no revert
    assert receipts_ok(chain, transactions)


def test_twenty_copies_of_one_payment_at_two_processes_settle_once(tmp_path: Path, chain: EvmDevnet) -> None:
    """Two API processes on one store (two nodes on PostgreSQL), 20 copies of one payment at once, split between
    them: one settlement, one job, 20 identical answers."""
    data = tmp_path / "shared"
    with LiveServer(data, paid_env(chain)) as a, LiveServer(data, paid_env(chain)) as b:
        with httpx.Client(base_url=a.url, timeout=30) as http:
            accepted = challenge(http, DRAFT)["accepts"][0]
        header = payments(chain, accepted, 1)[0]
        before, nonce_before = balance(chain, chain.pay_to), facilitator_nonce(chain)
        with mining_every_second(chain):  # every copy arrives while the first settlement is in flight
            answers = post_all([a.url, b.url], [header] * 20, [DRAFT] * 20, concurrency=20)
        assert [x.status_code for x in answers] == [202] * 20, [x.text for x in answers]
        assert len({x.json()["job_id"] for x in answers}) == 1
        assert len({x.headers["payment-response"] for x in answers}) == 1
        assert backends.current().value(data, "SELECT count(*) FROM jobs WHERE lane = 'paid'") == 1
    assert balance(chain, chain.pay_to) - before == int(accepted["amount"])
    assert facilitator_nonce(chain) - nonce_before == 1


def test_sigkill_of_a_node_with_signed_transactions_in_flight_hands_over_without_a_double_send(
    tmp_path: Path, chain: EvmDevnet
) -> None:
    """Node A signs and sends 4 settlements, the chain holds them unmined, A is SIGKILLed and the node forgets them
    (its pool is dropped): A's nonces are now a hole ahead of anything node B signs. B takes A's rows over (A is gone),
    re-sends A's stored bytes unchanged, and its own new payments settle behind them: every payment settled once,
    with one job, and no transaction sent twice or signed anew for A's payments."""
    data, first, later = tmp_path / "shared", 4, 3
    w3 = web3_for(chain)
    env = paid_env(chain)
    a, b = LiveServer(data, env).start(), LiveServer(data, env).start()
    try:
        with httpx.Client(base_url=a.url, timeout=30) as http:
            accepted = challenge(http, DRAFT)["accepts"][0]
        headers = payments(chain, accepted, first + later)
        bodies = [{**DRAFT, "prompt": f"a wooden crate number {i}"} for i in range(first + later)]
        before, nonce_before = balance(chain, chain.pay_to), facilitator_nonce(chain)
        w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]

        def pending() -> int:
            return int(w3.provider.make_request("txpool_status", [])["result"]["pending"], 16)  # type: ignore[arg-type]

        with ThreadPoolExecutor(first) as pool:
            sent = [pool.submit(_post_quietly, a.url, bodies[i], headers[i]) for i in range(first)]
            wait_until(lambda: pending() == first)
            stored = {row[0]: row[1] for row in backends.current().rows(data, "SELECT key, tx_hash FROM payments")}
            a.kill()
            for future in sent:
                future.result(timeout=30)
        w3.provider.make_request("anvil_dropAllTransactions", [])  # type: ignore[arg-type]
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
        answers = post_all([b.url], headers[first:], bodies[first:], concurrency=later)  # queued behind A's hole
        assert [x.status_code for x in answers] == [202] * later, [x.text for x in answers]
        wait_until(lambda: _states(data) == {"job_created"}, timeout=60)  # B finished A's payments too
        resent = {row[0]: row[1] for row in backends.current().rows(data, "SELECT key, tx_hash FROM payments")}
        assert all(resent[key] == tx for key, tx in stored.items())  # A's bytes, sent as they were: nothing re-signed
        again = post_all([b.url], headers[:first], bodies[:first], concurrency=first)  # A's clients try again
        assert [x.status_code for x in again] == [202] * first, [x.text for x in again]
        jobs = backends.current().value(data, "SELECT count(DISTINCT id) FROM jobs WHERE lane = 'paid'")
        assert jobs == first + later
        with httpx.Client(base_url=b.url, timeout=30) as http:
            assert all(wait_done(http, x.json()["poll_url"])["status"] == "done" for x in again)
    finally:
        a.kill()
        b.stop()
    assert balance(chain, chain.pay_to) - before == (first + later) * int(accepted["amount"])
    assert facilitator_nonce(chain) - nonce_before == first + later  # one transaction each, none twice
    assert receipts_ok(chain, list(resent.values()))


def _post_quietly(url: str, body: dict[str, Any], header: str) -> None:
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            http.post(PAID, json=body, headers={"PAYMENT-SIGNATURE": header})
    except httpx.TransportError:
        pass  # the node died under it


def _states(data: Path) -> set[str]:
    return {state for (state,) in backends.current().rows(data, "SELECT state FROM payments")}


ENGINE_NODE = {"FORGE402_FAST_LANE_MS": "0", "FORGE402_JOB_LEASE_SECONDS": "3"}


def test_sigkill_of_an_engine_node_mid_job_requeues_it_for_the_other(tmp_path: Path) -> None:
    """An API node (`serve --no-engine`) and two `forge402 worker`s: the worker building a job is SIGKILLed (with
    its engine processes); the job goes back to the queue and the other worker builds it."""
    data = tmp_path / "shared"
    with (
        LiveServer(data, ENGINE_NODE, args=("--no-engine",)) as api,
        httpx.Client(base_url=api.url, timeout=30) as http,
    ):
        first = WorkerProcess(data, ENGINE_NODE).start()
        try:
            job = http.post("/api/forge", json={"prompt": "a detailed bronze robot", "tier": "high"}).json()
            wait_for(http, job["job_id"], {"running"})
            owner = backends.current().value(data, "SELECT lease_owner FROM jobs WHERE id = ?", job["job_id"])
            assert owner.split(":")[1] == str(first.pid)  # the only worker took it
            first.kill()  # mid-build: the job is still `running`, leased to a dead worker
            with WorkerProcess(data, ENGINE_NODE):
                done = wait_done(http, job["job_id"])
        finally:
            first.kill()
    assert done["status"] == "done" and done["attempts"] == 2
    assert any("started again" in note for note in done["notes"])


def test_sigterm_drains_a_worker_its_running_job_finishes(tmp_path: Path) -> None:
    """SIGTERM: the worker takes no new job, finishes the one it builds, then exits by itself."""
    data = tmp_path / "shared"
    env = {**ENGINE_NODE, "FORGE402_DRAIN_SECONDS": "120"}
    with LiveServer(data, env, args=("--no-engine",)) as api, httpx.Client(base_url=api.url, timeout=30) as http:
        assert http.get("/readyz").json()["status"] == "ready"
        worker = WorkerProcess(data, env).start()
        try:
            building = http.post("/api/forge", json={"prompt": "a detailed bronze robot", "tier": "high"}).json()
            wait_for(http, building["job_id"], {"running"})
            left = http.post("/api/forge", json={"prompt": "a small stool", "tier": "draft"}).json()
            assert worker.stop(grace=120) == 0  # drained and exited by itself
        finally:
            worker.kill()
        assert http.get(f"/api/forge?job={building['job_id']}").json()["status"] == "done"
        assert http.get(f"/api/forge?job={left['job_id']}").json()["status"] == "queued"  # left for another worker


def test_a_database_migrated_by_a_newer_release_is_refused_at_start(db_backend: Backend, tmp_path: Path) -> None:
    env = clean_environment({"FORGE402_DATA_DIR": str(tmp_path), "FORGE402_DEVNET": "0",
                             **db_backend.server_env(tmp_path)})  # fmt: skip

    def forge402(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60, check=False)  # fmt: skip

    assert forge402("migrate").returncode == 0
    db_backend.execute(tmp_path, "UPDATE schema_migrations SET version = version + 1 WHERE component = 'app'")
    run = forge402("serve", "--port", "0")
    assert run.returncode == 2, run.stderr
    known = len(APP.steps)
    assert (
        f"refusing to start: the database's app schema is at version {known + 1}, newer than this release knows "
        f"({known})" in run.stderr
    )
