"""Several machines, as issue 12's operator runs them: two API nodes (`serve --no-engine`, each on its own port and
data directory) and two engine nodes (`forge402 worker`), sharing nothing but one PostgreSQL database, one S3 bucket
(moto) and the signing secret. Free and paid jobs (Base and Solana) are built by the workers; polls and file links
answer on either API node; the free lane's per-IP limit is one limit for both; every payment, sent to both nodes at
once, moves its money exactly once on chain. A worker shows its engine times on its own metrics address."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.devnet.anvil import EvmDevnet
from app.devnet.litesvm import SvmDevnet
from app.devnet.processes import free_port
from app.devnet.solana_payer import sign_svm_payment
from tests.api import assert_error, wait_done
from tests.backends import TEST_SECRET, Backend
from tests.devnet import evm_devnet_fixture  # noqa: F401
from tests.live import LiveServer, ServerProcess, WorkerProcess
from tests.metrics import Samples, scrape, value
from tests.objectstore import Bucket, new_bucket
from tests.paid import (
    PAID,
    balance,
    challenge,
    decode,
    facilitator_nonce,
    lamports,
    paid_env,
    post_all,
    solana_env,
    svm_devnet_fixture,  # noqa: F401
    svm_requirement,
    transaction_fee,
    usdc,
    v2_payment,
)
from tests.postgres import Cluster

GENERATIONS_PER_IP = 3
PREFIX = "cluster"


@dataclass
class Nodes:
    api: list[LiveServer]
    workers: list[WorkerProcess]
    worker_metrics: list[str]  # each worker's FORGE402_METRICS_LISTEN, as a URL
    bucket: Bucket
    db: Backend
    key: Path  # names the one database (tests.backends) of the whole cluster

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.api]

    def client(self, index: int, ip: str = "10.0.0.1") -> httpx.Client:
        """A client of API node `index`, seen by it as coming from `ip` (the nodes trust the loopback as a proxy)."""
        return httpx.Client(base_url=self.urls[index], timeout=60, headers={"X-Forwarded-For": ip})

    def built_by(self, job_id: str) -> list[int]:
        """Which workers logged building `job_id` (its engine's line carries the job id)."""
        found = []
        for index, worker in enumerate(self.workers):
            lines = [json.loads(line) for line in worker.log_path.read_text().splitlines() if line.startswith("{")]
            if any(line.get("job_id") == job_id and "engine built" in line["message"] for line in lines):
                found.append(index)
        return found


@pytest.fixture(scope="module")
def nodes(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_cluster: Cluster,
    s3: ServerProcess,
    evm_devnet: EvmDevnet,
    svm_devnet: SvmDevnet,
) -> Iterator[Nodes]:
    root = tmp_path_factory.mktemp("cluster")
    db, key, bucket = Backend("postgres", postgres_cluster), root / "database", new_bucket()
    url = db.database_url(key)
    assert url is not None
    shared = {
        "FORGE402_DATABASE_URL": url,
        "FORGE402_SECRET": TEST_SECRET,
        **bucket.env(PREFIX),
        "FORGE402_FAST_LANE_MS": "0",  # every job goes through the queue to a worker
    }
    api_env = {
        **shared,
        **paid_env(evm_devnet),
        **solana_env(svm_devnet),
        "FORGE402_TRUSTED_PROXIES": "127.0.0.1",
        "FORGE402_RATE_LIMIT_GENERATE": str(GENERATIONS_PER_IP),
        "FORGE402_RATE_LIMIT_WINDOW_SECONDS": "3600",
    }
    api: list[LiveServer] = []
    workers: list[WorkerProcess] = []
    metrics = [f"127.0.0.1:{free_port()}" for _ in range(2)]
    try:
        for name in ("api-a", "api-b"):
            api.append(LiveServer(root / name, api_env, args=("--no-engine",)).start())
        for name, listen in zip(("worker-a", "worker-b"), metrics, strict=True):
            workers.append(WorkerProcess(root / name, {**shared, "FORGE402_METRICS_LISTEN": listen}).start())
        yield Nodes(api, workers, [f"http://{address}" for address in metrics], bucket, db, key)
    finally:
        for worker in workers:
            worker.stop()
        for node in api:
            node.stop()


def other_node_path(link: str) -> str:
    """A file link's path and query: what a client sends to whichever node the load balancer picks."""
    return httpx.URL(link).raw_path.decode()


def assert_served_by_both(nodes: Nodes, job: dict[str, Any]) -> None:
    """The job's model and thumbnail answer the same bytes on both API nodes, and are kept in the bucket only."""
    for link, magic in ((job["glb_url"], b"glTF"), (job["thumbnail_url"], b"\x89PNG")):
        bodies = []
        for index in (0, 1):
            with nodes.client(index) as http:
                answer = http.get(other_node_path(link))
                assert answer.status_code == 200, answer.text
                bodies.append(answer.content)
        assert bodies[0] == bodies[1] and bodies[0].startswith(magic)
    stored = [key for key in nodes.bucket.keys(PREFIX) if job["job_id"] in key]
    assert any(key.endswith(".glb") for key in stored), stored
    for node in nodes.api:
        assert not any(node.data_dir.rglob("*.glb")), "an API node kept a model on its own disk"


def test_free_jobs_are_built_by_the_workers_and_answer_on_either_node(nodes: Nodes) -> None:
    with nodes.client(0, ip="10.0.1.1") as a, nodes.client(1, ip="10.0.1.2") as b:
        submitted = [
            a.post("/api/forge", json={"prompt": "a wooden stool", "tier": "draft"}),
            b.post("/api/forge", json={"prompt": "a tin lantern", "tier": "draft"}),
        ]
        assert [s.status_code for s in submitted] == [202, 202], [s.text for s in submitted]
        ids = [s.json()["job_id"] for s in submitted]
        done = [wait_done(b, ids[0]), wait_done(a, ids[1])]  # each polled on the node that did not take it
        assert [job["status"] for job in done] == ["done", "done"], done
        for job in done:
            assert a.get(f"/api/forge?job={job['job_id']}").json()["status"] == "done"
            assert b.get(f"/api/forge?job={job['job_id']}").json()["status"] == "done"
    for job in done:
        assert_served_by_both(nodes, job)
        assert len(nodes.built_by(job["job_id"])) == 1  # one worker built it, once
    built = 0.0  # a worker has no HTTP port: its engine times are on its metrics address
    for url in nodes.worker_metrics:
        with httpx.Client(base_url=url, timeout=10) as http:
            samples = wait_for_metrics(http)
        built += value(samples, "forge402_engine_seconds_count", tier="draft", backend="local", outcome="done")
    assert built >= len(done)


def wait_for_metrics(http: httpx.Client) -> Samples:
    """The worker binds its metrics address as it starts: a scrape, once it answers."""
    for _ in range(100):
        try:
            return scrape(http)
        except httpx.TransportError:
            time.sleep(0.1)
    return scrape(http)


def test_the_free_lane_limit_is_one_limit_for_both_nodes(nodes: Nodes) -> None:
    ip = "10.0.2.1"
    with nodes.client(0, ip) as a, nodes.client(1, ip) as b:
        sent = [http.post("/api/forge", json={"prompt": "a clay cup", "tier": "draft"}) for http in (a, b, a)]
        assert [s.status_code for s in sent] == [202] * GENERATIONS_PER_IP, [s.text for s in sent]
        assert_error(b.post("/api/forge", json={"prompt": "a clay cup", "tier": "draft"}), 429, "rate_limited")
        assert_error(a.post("/api/forge", json={"prompt": "a clay cup", "tier": "draft"}), 429, "rate_limited")
    with nodes.client(1, "10.0.2.2") as elsewhere:  # another client is not held back by it
        assert elsewhere.post("/api/forge", json={"prompt": "a clay cup", "tier": "draft"}).status_code == 202


def test_payments_on_base_and_solana_sent_to_both_nodes_move_money_once(
    nodes: Nodes, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet
) -> None:
    bodies = [{"prompt": f"a paid crate number {i}", "tier": "draft"} for i in range(4)]
    with nodes.client(0) as a:
        required = decode(a.post(PAID, json=bodies[0]).headers["payment-required"])
        base = challenge(a, bodies[0])["accepts"][0]
    solana = svm_requirement(required)
    assert base["network"].startswith("eip155:")

    # Base: four payments, two to each node, and at the same time a copy of two of them to the other node
    payers = [evm_devnet.payers[i % len(evm_devnet.payers)] for i in range(4)]
    headers = [v2_payment(evm_devnet, payer, base) for payer in payers]
    base_before = balance(evm_devnet, evm_devnet.pay_to)
    charged = Counter(payer.address for payer in payers)  # what each payer must have paid, in payments
    paid_before = {address: balance(evm_devnet, address) for address in charged}
    nonce_before = facilitator_nonce(evm_devnet)
    order = [0, 1, 2, 3, 1, 0]  # answer i came from node i % 2: the copies (4, 5) reach the node the first did not
    answers = post_all(nodes.urls, [headers[i] for i in order], [bodies[i] for i in order], concurrency=len(order))
    assert [x.status_code for x in answers] == [202] * len(order), [x.text for x in answers]
    base_jobs = [x.json()["job_id"] for x in answers]
    assert len(set(base_jobs)) == 4 and base_jobs[4] == base_jobs[1] and base_jobs[5] == base_jobs[0]
    assert answers[4].headers["payment-response"] == answers[1].headers["payment-response"]
    assert balance(evm_devnet, evm_devnet.pay_to) - base_before == 4 * int(base["amount"])
    paid = {address: before - balance(evm_devnet, address) for address, before in paid_before.items()}
    assert paid == {address: n * int(base["amount"]) for address, n in charged.items()}
    assert facilitator_nonce(evm_devnet) - nonce_before == 4  # one transaction per payment, whichever node sent it

    # Solana: two payments, each sent to both nodes at once
    svm_payers = svm_devnet.payers[:2]
    assert len({payer.address for payer in svm_payers}) == 2
    signed = [sign_svm_payment(svm_devnet, payer, solana) for payer in svm_payers]
    pay_to_before = usdc(svm_devnet, svm_devnet.pay_to)
    svm_paid_before = [usdc(svm_devnet, payer.address) for payer in svm_payers]
    fee_payer_before = lamports(svm_devnet, svm_devnet.fee_payer)
    order = [0, 1, 1, 0]  # 0 → A then B, 1 → B then A
    answers = post_all(nodes.urls, [signed[i] for i in order], [bodies[i] for i in order], concurrency=len(order))
    assert [x.status_code for x in answers] == [202] * len(order), [x.text for x in answers]
    svm_jobs = [x.json()["job_id"] for x in answers]
    assert svm_jobs[0] == svm_jobs[3] and svm_jobs[1] == svm_jobs[2] and svm_jobs[0] != svm_jobs[1]
    signatures = {decode(x.headers["payment-response"])["transaction"] for x in answers}
    assert len(signatures) == 2
    assert usdc(svm_devnet, svm_devnet.pay_to) - pay_to_before == 2 * int(solana["amount"])
    assert [before - usdc(svm_devnet, p.address) for before, p in zip(svm_paid_before, svm_payers, strict=True)] == [
        int(solana["amount"])
    ] * 2
    spent = fee_payer_before - lamports(svm_devnet, svm_devnet.fee_payer)
    assert spent == sum(transaction_fee(svm_devnet, signature) for signature in signatures)

    # one job per payment in the shared database; each built once by a worker, served by both nodes
    assert nodes.db.value(nodes.key, "SELECT count(*) FROM jobs WHERE lane = 'paid'") == 6
    assert nodes.db.value(nodes.key, "SELECT count(*) FROM payments WHERE state = 'job_created'") == 6
    for index, job_id in enumerate(sorted(set(base_jobs) | set(svm_jobs))):
        with nodes.client(index % 2) as http:
            job = wait_done(http, job_id)
        assert job["status"] == "done", job
        assert_served_by_both(nodes, job)
        assert len(nodes.built_by(job_id)) == 1
