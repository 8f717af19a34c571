"""The paid lane with backends: a payer whose provider fails for good still gets a model (the embedded engine
builds it and the job says so); a provider backend without a key is refused before money moves; paid retopology
is priced from configuration and runs like the free one."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import trimesh

from app.devnet.anvil import EvmDevnet
from tests.api import wait_done
from tests.backends import Backend
from tests.devnet import evm_devnet_fixture  # noqa: F401
from tests.fakes import files, tripo
from tests.fakes.common import RETOPO_FAIL_FACES, FakeServer
from tests.live import LiveServer
from tests.paid import PAID, balance, challenge, decode, paid_env, v2_payment

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

PAID_RETOPO = "/api/x402/forge/retopo"


@pytest.fixture(scope="module")
def fakes(db_backend: Backend) -> Iterator[tuple[FakeServer, FakeServer]]:
    provider, host = tripo.build({"tsk_paid_good"}).start(), files.build().start()
    host.state.files["ball.glb"] = trimesh.creation.icosphere(subdivisions=4).export(file_type="glb")
    yield provider, host
    provider.stop()
    host.stop()


@pytest.fixture(scope="module")
def live(db_backend: Backend, tmp_path_factory, evm_devnet: EvmDevnet, fakes) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    env = paid_env(evm_devnet, FORGE402_TRIPO_BASE_URL=fakes[0].api_url, FORGE402_FETCH_ALLOW_HOSTS="127.0.0.1",
                   FORGE402_PROVIDER_POLL_SECONDS="0.1")  # fmt: skip
    with LiveServer(tmp_path_factory.mktemp("paid-providers"), env) as server:
        yield server


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client


def test_a_paid_job_whose_provider_refuses_the_key_is_built_by_the_embedded_engine(
    http: httpx.Client, evm_devnet: EvmDevnet
) -> None:
    body = {"prompt": "a wooden crate", "tier": "draft", "backend": "tripo"}
    header = v2_payment(evm_devnet, evm_devnet.payers[1], challenge(http, body)["accepts"][0])
    answer = http.post(PAID, json=body, headers={"PAYMENT-SIGNATURE": header, "x-forge-provider-key": "tsk_wrong"})
    assert answer.status_code == 202, answer.text
    job = wait_done(http, answer.json()["poll_url"])
    assert job["status"] == "done" and job["backend"] == "local", job
    assert any("Tripo failed" in n and "embedded engine" in n for n in job["notes"]), job["notes"]
    assert "tsk_wrong" not in answer.text + str(job)


def test_a_paid_provider_job_with_a_good_key_runs_on_the_provider(http: httpx.Client, evm_devnet: EvmDevnet) -> None:
    body = {"prompt": "a slow brass bell", "tier": "draft", "backend": "tripo"}
    header = v2_payment(evm_devnet, evm_devnet.payers[1], challenge(http, body)["accepts"][0])
    answer = http.post(PAID, json=body, headers={"PAYMENT-SIGNATURE": header, "x-forge-provider-key": "tsk_paid_good"})
    assert answer.status_code == 202, answer.text
    job = wait_done(http, answer.json()["poll_url"])
    assert job["status"] == "done" and job["backend"] == "tripo" and job["recipe"] == "tripo", job


def test_a_provider_backend_without_a_key_is_refused_before_money_moves(
    http: httpx.Client, evm_devnet: EvmDevnet
) -> None:
    body = {"prompt": "a wooden crate", "tier": "draft", "backend": "tripo"}
    header = v2_payment(evm_devnet, evm_devnet.payers[1], challenge(http, body)["accepts"][0])
    before = balance(evm_devnet, evm_devnet.pay_to)
    answer = http.post(PAID, json=body, headers={"PAYMENT-SIGNATURE": header})
    assert answer.status_code == 501 and answer.json()["error"] == "needs_key"
    assert balance(evm_devnet, evm_devnet.pay_to) == before


def test_paid_retopology_is_priced_from_configuration_and_delivers(
    http: httpx.Client, evm_devnet: EvmDevnet, fakes
) -> None:  # type: ignore[no-untyped-def]
    body = {"model_url": f"{fakes[1].url}/files/ball.glb", "face_limit": 1000, "quad": True}
    refused = http.post(PAID_RETOPO, json=body)
    assert refused.status_code == 402
    offer = decode(refused.headers["payment-required"])["accepts"][0]
    assert offer["amount"] == "100000"
    header = v2_payment(evm_devnet, evm_devnet.payers[1], offer)
    bad = http.post(PAID_RETOPO, json={**body, "face_limit": 50}, headers={"PAYMENT-SIGNATURE": header})
    assert bad.status_code == 400 and bad.json()["error"] == "face_limit_too_low"  # before any money moves
    before = balance(evm_devnet, evm_devnet.pay_to)
    paid = http.post(PAID_RETOPO, json=body, headers={"PAYMENT-SIGNATURE": header})
    assert paid.status_code == 202, paid.text
    job = wait_done(http, paid.json()["poll_url"])
    assert job["status"] == "done" and job["mode"] == "retopo" and job["retopo"]["quad_ratio"] >= 0.9, job
    assert balance(evm_devnet, evm_devnet.pay_to) - before == 100_000


def paid_retopo(http: httpx.Client, evm_devnet: EvmDevnet, body: dict, key: str) -> dict:
    offer = decode(http.post(PAID_RETOPO, json=body).headers["payment-required"])["accepts"][0]
    header = v2_payment(evm_devnet, evm_devnet.payers[1], offer)
    answer = http.post(PAID_RETOPO, json=body, headers={"PAYMENT-SIGNATURE": header, "x-forge-provider-key": key})
    assert answer.status_code == 202, answer.text
    assert key not in answer.text
    return wait_done(http, answer.json()["poll_url"])


def test_paid_provider_retopology_runs_on_the_provider_and_falls_back_when_it_fails(
    http: httpx.Client, evm_devnet: EvmDevnet, fakes
) -> None:  # type: ignore[no-untyped-def]
    made = http.post("/api/forge", json={"prompt": "a bronze horse", "tier": "draft", "backend": "tripo"},
                     headers={"x-forge-provider-key": "tsk_paid_good"})  # fmt: skip
    source = wait_done(http, made.json()["poll_url"])
    assert source["status"] == "done" and source["backend"] == "tripo", source
    body = {"job_id": source["job_id"], "face_limit": 1000, "backend": "tripo"}
    job = paid_retopo(http, evm_devnet, body, "tsk_paid_good")
    assert job["status"] == "done" and job["backend"] == "tripo" and job["retopo"]["faces"] <= 1050, job
    failing = paid_retopo(http, evm_devnet, {**body, "face_limit": RETOPO_FAIL_FACES}, "tsk_paid_good")
    assert failing["status"] == "done" and failing["backend"] == "local" and failing["recipe"] == "retopo", failing
    assert any("Tripo failed" in n and "embedded engine" in n for n in failing["notes"]), failing["notes"]
    assert abs(failing["retopo"]["faces"] - RETOPO_FAIL_FACES) <= 0.05 * RETOPO_FAIL_FACES
    assert "tsk_paid_good" not in str(job) + str(failing)
