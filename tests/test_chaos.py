"""Chaos (issue 13): the world around forge402 fails, and each failure is a clear answer — 503 (or 502) with
Retry-After where trying again helps — nothing is charged without a job, no job is left stuck, and the service
recovers by itself once the fault ends. Each case is a test:

- the RPC node down, slow (5 s a call) and answering garbage (tests/faultproxy.py between forge402 and anvil);
- the disk under the data directory full (a small tmpfs mounted for it);
- the database locked by another writer (this test holding SQLite's write lock past the busy timeout);
- a provider answering garbage (the same proxy in front of the fake Tripo).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.devnet.anvil import EvmDevnet
from tests.api import assert_error, wait_done
from tests.devnet import evm_devnet_fixture  # noqa: F401 - registers the evm_devnet fixture
from tests.fakes import tripo
from tests.fakes.common import FakeServer
from tests.faultproxy import FaultProxy
from tests.live import LiveServer
from tests.paid import PAID, balance, challenge, paid_env, v2_payment
from tests.settings import server_env

BODY = {"prompt": "a brass lantern", "tier": "draft"}
TRIPO_KEY = "tsk_operator_chaos"


def base_requirement(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in challenge(http, body)["accepts"] if r["network"].startswith("eip155:"))


def pay(http: httpx.Client, header: str, body: dict[str, Any]) -> httpx.Response:
    return http.post(PAID, json=body, headers={"PAYMENT-SIGNATURE": header}, timeout=120)


def assert_deferred(answer: httpx.Response, code: str) -> None:
    """A 503 that says why and when to come back, and that nothing was charged."""
    body = assert_error(answer, 503, code)
    assert int(answer.headers["retry-after"]) > 0, answer.headers
    assert "nothing" in body["message"] or "send the same payment again" in body["message"], body


# ---- the RPC node: down, slow, garbage ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rpc(evm_devnet: EvmDevnet) -> Iterator[FaultProxy]:
    with FaultProxy(evm_devnet.rpc_url, "rpc-fault-proxy") as proxy:
        yield proxy


@pytest.fixture(scope="module")
def provider() -> Iterator[tuple[FakeServer, FaultProxy]]:
    fake = tripo.build({TRIPO_KEY}).start()
    with FaultProxy(fake.api_url, "provider-fault-proxy") as proxy:
        yield fake, proxy
    fake.stop()


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory,
    evm_devnet: EvmDevnet,
    rpc: FaultProxy,
    provider: tuple[FakeServer, FaultProxy],
) -> Iterator[LiveServer]:
    env = paid_env(
        evm_devnet,
        FORGE402_EVM_RPC_URL=rpc.url,
        FORGE402_TRIPO_BASE_URL=provider[1].url,
        FORGE402_TRIPO_API_KEY=TRIPO_KEY,
        FORGE402_FETCH_ALLOW_HOSTS="127.0.0.1",
        FORGE402_PROVIDER_POLL_SECONDS="0.1",
        FORGE402_PROVIDER_RETRY_BACKOFF_SECONDS="0.05",
    )
    with LiveServer(tmp_path_factory.mktemp("chaos"), env) as server:
        yield server


@pytest.fixture
def healthy(rpc: FaultProxy, provider: tuple[FakeServer, FaultProxy]) -> Iterator[None]:
    rpc.up()
    provider[1].up()
    yield
    rpc.up()
    provider[1].up()


@pytest.mark.parametrize("fault", ["down", "garbage"])
def test_an_rpc_node_down_or_talking_garbage_is_a_503_and_the_same_payment_goes_through_after(
    live: LiveServer, evm_devnet: EvmDevnet, rpc: FaultProxy, healthy: None, fault: str
) -> None:
    payer = evm_devnet.payers[0 if fault == "down" else 1]
    with live.client() as http:
        accepted = base_requirement(http, BODY)
        header = v2_payment(evm_devnet, payer, accepted)
        before = balance(evm_devnet, evm_devnet.pay_to)
        if fault == "down":
            rpc.down()
        else:
            rpc.garbage()
        assert_deferred(pay(http, header, BODY), "chain_unavailable")
        assert pay(http, header, BODY).status_code == 503  # as often as it is asked
        rpc.up()
        assert balance(evm_devnet, evm_devnet.pay_to) == before  # nothing was charged
        paid = pay(http, header, BODY)
        assert paid.status_code == 202, paid.text
        assert balance(evm_devnet, evm_devnet.pay_to) == before + int(accepted["amount"])
        assert wait_done(http, paid.json()["job_id"])["status"] == "done"
        again = pay(http, header, BODY)  # and once only
        assert again.status_code == 202 and again.json()["job_id"] == paid.json()["job_id"]
        assert balance(evm_devnet, evm_devnet.pay_to) == before + int(accepted["amount"])


def test_a_slow_rpc_node_still_settles_once(
    live: LiveServer, evm_devnet: EvmDevnet, rpc: FaultProxy, healthy: None
) -> None:
    with live.client() as http:
        accepted = base_requirement(http, BODY)
        header = v2_payment(evm_devnet, evm_devnet.payers[2], accepted)
        before = balance(evm_devnet, evm_devnet.pay_to)
        rpc.slow(5.0)
        seen = rpc.delayed
        paid = pay(http, header, BODY)
        assert rpc.delayed > seen  # the slow node answered every call of the payment
        rpc.up()
        assert paid.status_code == 202, paid.text
        assert balance(evm_devnet, evm_devnet.pay_to) == before + int(accepted["amount"])
        assert wait_done(http, paid.json()["job_id"])["status"] == "done"
        # the free lane and the 402 never wait on the chain
        assert http.post(PAID, json=BODY).status_code == 402


# ---- a provider answering garbage ---------------------------------------------------------------------------------


def test_a_provider_answering_garbage_is_a_502_or_a_failed_job_and_a_paid_job_is_built_anyway(
    live: LiveServer, evm_devnet: EvmDevnet, provider: tuple[FakeServer, FaultProxy], healthy: None
) -> None:
    _, proxy = provider
    body = {"prompt": "a wooden crate", "tier": "draft", "backend": "tripo"}
    with live.client() as http:
        accepted = base_requirement(http, body)
        header = v2_payment(evm_devnet, evm_devnet.payers[0], accepted)
        before = balance(evm_devnet, evm_devnet.pay_to)
        proxy.garbage()
        free = http.post("/api/forge", json=body)
        if free.status_code == 502:
            assert_error(free, 502, "upstream_error")
        else:  # taken, then failed for the provider's garbage: not stuck
            assert free.status_code in (200, 202), free.text
            failed = wait_done(http, free.json()["job_id"])
            assert failed["status"] == "failed" and failed["error"]["code"] == "upstream_error", failed
        paid = pay(http, header, body)
        assert paid.status_code == 202, paid.text
        job = wait_done(http, paid.json()["job_id"])
        assert job["status"] == "done" and any("embedded engine" in note for note in job["notes"]), job
        assert balance(evm_devnet, evm_devnet.pay_to) == before + int(accepted["amount"])  # charged once, with a job
        proxy.up()  # the provider is back: the free lane uses it again
        again = http.post("/api/forge", json={**body, "prompt": "a wooden barrel"})
        assert again.status_code in (200, 202), again.text
        assert wait_done(http, again.json()["job_id"])["status"] == "done"


# ---- the disk full ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(path: Path, size: str = "48m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path` (root only: skipped elsewhere, say so)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path) -> Path:
    """Write a file until the disk has no room left; the file (delete it to end the fault)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for chunk in (1 << 20, 4096, 1):  # big pieces, then the last bytes
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * chunk)
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_is_a_503_nothing_is_charged_and_service_resumes_once_there_is_room(
    tmp_path: Path, evm_devnet: EvmDevnet
) -> None:
    with (
        small_disk(tmp_path / "disk") as disk,
        LiveServer(disk / "data", paid_env(evm_devnet), log_path=tmp_path / "server.log") as live,
        live.client() as http,
    ):
        if True:
            assert wait_done(http, http.post("/api/forge", json=BODY).json()["job_id"])["status"] == "done"
            accepted = base_requirement(http, BODY)
            header = v2_payment(evm_devnet, evm_devnet.payers[1], accepted)
            before = balance(evm_devnet, evm_devnet.pay_to)
            filler = fill(disk)
            free = http.post("/api/forge", json={**BODY, "prompt": "a copper kettle"})
            waiting = None
            if free.status_code == 503:
                assert_deferred(free, "store_unavailable")
            else:  # the row fitted, the model did not: the job waits for room (as for an unreachable S3)
                assert free.status_code == 202, free.text
                waiting = free.json()["job_id"]
                assert http.get("/api/forge", params={"job": waiting}).json()["status"] in ("queued", "running")
            slot = http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": 1000})
            assert slot.status_code in (201, 503), slot.text
            assert_deferred(pay(http, header, BODY), "store_unavailable")
            assert balance(evm_devnet, evm_devnet.pay_to) == before
            filler.unlink()  # room again: the same requests go through, nothing restarted
            paid = pay(http, header, BODY)
            assert paid.status_code == 202, paid.text
            assert wait_done(http, paid.json()["job_id"])["status"] == "done"
            assert balance(evm_devnet, evm_devnet.pay_to) == before + int(accepted["amount"])
            again = http.post("/api/forge", json={**BODY, "prompt": "a copper kettle"})
            assert wait_done(http, again.json()["job_id"])["status"] == "done"
            if waiting is not None:  # not stuck, not failed: built once there was room
                assert wait_done(http, waiting)["status"] == "done"


# ---- the database locked ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def write_lock(database: Path) -> Iterator[None]:
    """Another writer holding SQLite's write lock (BEGIN IMMEDIATE) until the block ends."""
    conn = sqlite3.connect(database, isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_a_database_locked_by_another_writer_is_a_503_and_no_job_is_stuck(tmp_path: Path) -> None:
    with LiveServer(tmp_path, server_env(fast_lane_ms=0)) as live, live.client(timeout=60) as http:
        running = http.post("/api/forge", json={"prompt": "a tall ornate vase", "tier": "high"}).json()
        done = wait_done(http, http.post("/api/forge", json=BODY).json()["job_id"])
        with write_lock(live.data_dir / "forge402.db"):
            assert_deferred(http.post("/api/forge", json={**BODY, "prompt": "a small clay pot"}), "store_unavailable")
            polled = http.get("/api/forge", params={"job": done["job_id"]})  # readers are not blocked (WAL)
            assert polled.status_code == 200 and polled.json()["status"] == "done"
            holding = threading.Event()
            threading.Timer(3, holding.set).start()
            holding.wait()  # the job meanwhile tries to record its outcome, and waits
        assert wait_done(http, running["job_id"])["status"] == "done"  # not stuck, not failed
        after = http.post("/api/forge", json={**BODY, "prompt": "a small clay pot"})
        assert after.status_code == 202 and wait_done(http, after.json()["job_id"])["status"] == "done"
