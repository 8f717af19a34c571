"""The paid lane with a remote facilitator: forge402 without a key of its own (`FORGE402_FACILITATOR_URL`), verifying
and settling through the official Python SDK's facilitator over the spec's HTTP API, on the local devnet."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from eth_account import Account
from x402.http import decode_payment_response_header
from x402.mechanisms.evm.constants import (
    ERR_AUTHORIZATION_VALUE_MISMATCH,
    ERR_INSUFFICIENT_BALANCE,
    ERR_VALID_BEFORE_EXPIRED,
)

from app.devnet.anvil import EvmDevnet, Payer
from tests import backends
from tests.api import wait_done
from tests.backends import Backend
from tests.devnet import evm_devnet_fixture, send_transfer_with_authorization, sign_eip3009  # noqa: F401
from tests.facilitator_server import FacilitatorServer
from tests.gltf_validator import validate_glbs
from tests.live import LiveServer
from tests.paid import (
    PAID,
    balance,
    challenge,
    decode,
    download,
    encode,
    node_client,
    paid_env,
    sdk_pay,
    v2_payment,
    wait_until,
)

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

DRAFT = {"prompt": "a copper kettle", "tier": "draft"}
PRICE = 50_000


def remote_env(devnet: EvmDevnet, facilitator_url: str) -> dict[str, str]:
    """The paid lane pointed at a remote facilitator, with no settlement key of its own."""
    env = paid_env(devnet, FORGE402_FACILITATOR_URL=facilitator_url)
    del env["FORGE402_EVM_FACILITATOR_KEY"]
    return env


def official_facilitator(devnet: EvmDevnet) -> FacilitatorServer:
    return FacilitatorServer(devnet.rpc_url, devnet.facilitator_private_key, devnet.network)


def ledger_row(data_dir: Path, **where: str) -> dict[str, Any]:
    (column, value), *_ = where.items()
    rows = backends.current().dicts(data_dir, f"SELECT * FROM payments WHERE {column} = ?", value)
    assert len(rows) == 1, rows
    return rows[0]


def only_row(data_dir: Path) -> dict[str, Any]:
    rows = backends.current().dicts(data_dir, "SELECT * FROM payments")
    assert len(rows) == 1, rows
    return rows[0]


def paid_jobs(data_dir: Path) -> int:
    return backends.current().value(data_dir, "SELECT count(*) FROM jobs WHERE lane = 'paid'")


@pytest.fixture(scope="module")
def facilitator(db_backend: Backend, evm_devnet: EvmDevnet) -> Iterator[FacilitatorServer]:
    with official_facilitator(evm_devnet) as server:
        yield server


@pytest.fixture(scope="module")
def remote_server(
    db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet, facilitator: FacilitatorServer
) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("remote"), remote_env(evm_devnet, facilitator.url)) as live:
        yield live


@pytest.fixture
def http(remote_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=remote_server.url, timeout=60) as client:
        yield client


@pytest.fixture
def offer(http: httpx.Client) -> dict[str, Any]:
    return challenge(http, DRAFT)["accepts"][0]


def test_official_sdk_pays_and_the_official_facilitator_settles(
    remote_server: LiveServer, http: httpx.Client, evm_devnet: EvmDevnet, facilitator: FacilitatorServer, tmp_path: Path
) -> None:
    assert facilitator.calls["supported"] >= 1  # checked at start-up
    before, calls = balance(evm_devnet, evm_devnet.pay_to), dict(facilitator.calls)
    answer = sdk_pay(remote_server.url, evm_devnet.payers[0], DRAFT)
    assert answer.status_code == 202, answer.text
    settled = decode_payment_response_header(answer.headers["payment-response"])
    assert settled.success and settled.transaction == facilitator.facilitator.settled[-1]
    assert settled.payer.lower() == evm_devnet.payers[0].address.lower()
    assert facilitator.calls["verify"] == calls["verify"] + 1 and facilitator.calls["settle"] == calls["settle"] + 1
    job = answer.json()
    row = ledger_row(remote_server.data_dir, job_id=job["job_id"])
    assert (row["state"], row["tx_hash"]) == ("job_created", settled.transaction)  # what the facilitator said
    done = wait_done(http, job["poll_url"])
    assert done["status"] == "done", done
    glb = download(http, done["glb_url"], tmp_path / "remote.glb")
    assert validate_glbs([glb])[glb]["errors"] == 0
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


def test_the_same_payment_again_and_concurrent_copies_are_one_job_settled_once(
    http: httpx.Client, evm_devnet: EvmDevnet, facilitator: FacilitatorServer, offer: dict[str, Any]
) -> None:
    header = v2_payment(evm_devnet, evm_devnet.payers[1], offer)
    before, settles = balance(evm_devnet, evm_devnet.pay_to), facilitator.calls["settle"]
    first = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
    assert first.status_code == 202, first.text
    again: list[httpx.Response] = []

    def send() -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=60) as own:
            again.append(own.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header}))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in again] == [202] * 8, [a.text for a in again]
    assert {a.json()["job_id"] for a in again} == {first.json()["job_id"]}
    assert {a.headers["payment-response"] for a in again} == {first.headers["payment-response"]}
    assert facilitator.calls["settle"] == settles + 1
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


@pytest.mark.parametrize(
    ("case", "reason"),
    [("wrong amount", ERR_AUTHORIZATION_VALUE_MISMATCH), ("expired", ERR_VALID_BEFORE_EXPIRED)],
)
def test_a_bad_payment_is_refused_locally_with_the_official_reason(
    case: str, reason: str, http: httpx.Client, evm_devnet: EvmDevnet, facilitator: FacilitatorServer, offer: dict
) -> None:
    """Refusals that need no chain are answered before the round trip, with the reason the facilitator would give."""
    now = int(time.time())
    bad = {"value": PRICE - 1} if case == "wrong amount" else {"valid_after": now - 600, "valid_before": now - 10}
    header = v2_payment(evm_devnet, evm_devnet.payers[1], offer, **bad)
    verifies = facilitator.calls["verify"]
    answer = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
    assert answer.status_code == 402 and answer.json()["error"] == reason, answer.text
    assert "payment-required" in answer.headers
    assert facilitator.calls["verify"] == verifies


def test_a_payment_the_facilitator_refuses_is_402_with_its_reason(
    remote_server: LiveServer, http: httpx.Client, evm_devnet: EvmDevnet, facilitator: FacilitatorServer, offer: dict
) -> None:
    broke = Account.create()
    header = v2_payment(evm_devnet, Payer(broke.address, broke.key.hex()), offer)
    before, calls = balance(evm_devnet, evm_devnet.pay_to), dict(facilitator.calls)
    answer = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
    assert answer.status_code == 402, answer.text
    assert answer.json()["error"] == ERR_INSUFFICIENT_BALANCE and answer.json()["message"]
    assert "payment-required" in answer.headers
    assert facilitator.calls["verify"] == calls["verify"] + 1 and facilitator.calls["settle"] == calls["settle"]
    row = ledger_row(remote_server.data_dir, payer=broke.address.lower())
    assert (row["state"], row["error_code"]) == ("rejected", ERR_INSUFFICIENT_BALANCE)  # what the facilitator said
    assert balance(evm_devnet, evm_devnet.pay_to) == before


def test_an_authorization_already_settled_on_chain_buys_its_job_once(
    http: httpx.Client, evm_devnet: EvmDevnet, facilitator: FacilitatorServer, offer: dict[str, Any]
) -> None:
    """The facilitator refuses a used authorization; if it paid payTo this price (a settlement whose answer was
    lost, or anyone's), the payment is settled: its one job, no second settlement."""
    now = int(time.time())
    payload = sign_eip3009(evm_devnet, evm_devnet.payers[0], offer["payTo"], PRICE, now - 600, now + 120)
    receipt = send_transfer_with_authorization(evm_devnet, payload)
    header = encode({"x402Version": 2, "accepted": offer, "payload": payload})
    settles = facilitator.calls["settle"]
    answer = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
    assert answer.status_code == 202, answer.text
    assert decode(answer.headers["payment-response"])["transaction"] == "0x" + bytes(receipt["transactionHash"]).hex()
    assert facilitator.calls["settle"] == settles


def test_facilitator_down_is_503_without_a_job_then_the_same_payment_goes_through(
    tmp_path: Path, evm_devnet: EvmDevnet
) -> None:
    down = official_facilitator(evm_devnet)  # its port is chosen; nothing listens on it yet
    live = LiveServer(tmp_path / "service", remote_env(evm_devnet, down.url))
    with live, httpx.Client(base_url=live.url, timeout=60) as http:
        header = v2_payment(evm_devnet, evm_devnet.payers[1], challenge(http, DRAFT)["accepts"][0])
        before = balance(evm_devnet, evm_devnet.pay_to)
        answer = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"] == "facilitator_unavailable" and down.url in answer.json()["message"]
        assert answer.headers["retry-after"] and "payment-response" not in answer.headers
        assert only_row(live.data_dir)["state"] == "rejected" and paid_jobs(live.data_dir) == 0
        with down:
            again = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
        assert again.status_code == 202, again.text
        assert paid_jobs(live.data_dir) == 1
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


def post_then_kill(live: LiveServer, facilitator: FacilitatorServer, header: str) -> None:
    """Post the payment; once its /settle is held at the facilitator, SIGKILL the service (it never hears back)."""

    def send() -> None:
        try:
            with httpx.Client(base_url=live.url, timeout=60) as http:
                http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
        except httpx.TransportError:
            pass  # the service died under it

    client = threading.Thread(target=send)
    client.start()
    assert facilitator.gate.held.wait(30), "the settlement never reached the facilitator"
    assert only_row(live.data_dir)["state"] == "verified"  # /settle sent, no answer recorded
    live.kill()
    client.join(30)


@pytest.fixture
def crash_service(tmp_path: Path, evm_devnet: EvmDevnet, facilitator: FacilitatorServer) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "service", remote_env(evm_devnet, facilitator.url)).start()
    yield live
    facilitator.gate.release()
    live.stop()


def test_crash_after_the_remote_settled_then_restart_creates_the_job_once(
    crash_service: LiveServer, evm_devnet: EvmDevnet, facilitator: FacilitatorServer
) -> None:
    with httpx.Client(base_url=crash_service.url, timeout=60) as http:
        header = v2_payment(evm_devnet, evm_devnet.payers[0], challenge(http, DRAFT)["accepts"][0])
    before, settles = balance(evm_devnet, evm_devnet.pay_to), facilitator.calls["settle"]
    facilitator.gate.hold("after")
    post_then_kill(crash_service, facilitator, header)
    facilitator.gate.release()  # it answers a dead socket; the money has moved
    transaction = facilitator.facilitator.settled[-1]
    with LiveServer(crash_service.data_dir, crash_service.env) as again:
        row = only_row(again.data_dir)
        assert (row["state"], row["tx_hash"]) == ("job_created", transaction)  # found on chain at start-up
        with httpx.Client(base_url=again.url, timeout=60) as http:
            answer = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
            assert answer.status_code == 202, answer.text
            assert answer.json()["job_id"] == row["job_id"]
            assert decode(answer.headers["payment-response"])["transaction"] == transaction
            assert wait_done(http, answer.json()["poll_url"])["status"] == "done"
        assert paid_jobs(again.data_dir) == 1
    assert facilitator.calls["settle"] == settles + 1
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


def test_crash_while_the_remote_never_settled_then_the_resend_settles_once(
    crash_service: LiveServer, evm_devnet: EvmDevnet, facilitator: FacilitatorServer
) -> None:
    with httpx.Client(base_url=crash_service.url, timeout=60) as http:
        header = v2_payment(evm_devnet, evm_devnet.payers[1], challenge(http, DRAFT)["accepts"][0])
    before = balance(evm_devnet, evm_devnet.pay_to)
    facilitator.gate.hold("before")
    post_then_kill(crash_service, facilitator, header)
    facilitator.gate.release(drop=True)  # the facilitator lost it: nothing was sent
    with LiveServer(crash_service.data_dir, crash_service.env) as again:
        assert only_row(again.data_dir)["state"] == "verified"  # unknown: neither "not charged" nor settled
        assert balance(evm_devnet, evm_devnet.pay_to) == before
        with httpx.Client(base_url=again.url, timeout=60) as http:
            answer = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
            assert answer.status_code == 202, answer.text
            wait_until(lambda: only_row(again.data_dir)["state"] == "job_created")
        assert paid_jobs(again.data_dir) == 1
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


def test_official_typescript_v1_client_pays_through_the_official_facilitator(
    remote_server: LiveServer, http: httpx.Client, evm_devnet: EvmDevnet, facilitator: FacilitatorServer
) -> None:
    """A v1 payment (X-PAYMENT) goes to the facilitator in v1 wire form and is settled by its v1 scheme."""
    before, settles = balance(evm_devnet, evm_devnet.pay_to), facilitator.calls["settle"]
    body = {"prompt": "a copper kettle for a v1 client", "tier": "draft"}
    result = node_client("pay_v1.mjs", remote_server.url + PAID, evm_devnet.payers[2].private_key, json.dumps(body))
    assert result["status"] == 202 and result["payment_response"]["success"] is True, result
    assert result["payment_response"]["transaction"] == facilitator.facilitator.settled[-1]
    assert facilitator.calls["settle"] == settles + 1
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE
