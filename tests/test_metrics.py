"""GET /metrics: off without a token or a listen address, then Prometheus text with requests by route template,
jobs by state, queue depth and age, engine time. (Settlements, RPC latency and gas balances: tests/test_paid_lane.)"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from app.devnet.processes import free_port
from app.services.metrics import MetricsReader
from app.store import open_store
from app.store.jobs import NewJob
from tests.api import assert_error, wait_done
from tests.backends import Backend
from tests.inprocess import InProcessServer
from tests.live import LiveServer
from tests.metrics import scrape, value
from tests.settings import settings_from

TOKEN = "operator-token-" + "x" * 20


def test_metrics_are_off_without_a_token_or_an_address(http: httpx.Client) -> None:
    assert_error(http.get("/metrics"), 404, "not_found")


def test_metrics_need_the_token_and_count_answers_by_route_template(tmp_path: Path) -> None:
    with InProcessServer(tmp_path, {"FORGE402_METRICS_TOKEN": TOKEN}) as server, server.client() as http:
        for refused in (
            http.get("/metrics"),
            http.get("/metrics", headers={"Authorization": "Bearer wrong"}),
            http.get("/metrics", headers={"Authorization": TOKEN}),
        ):
            assert_error(refused, 401, "metrics_unauthorized")
            assert refused.headers["www-authenticate"].startswith("Bearer")
        before = scrape(http, TOKEN)
        job = wait_done(http, http.post("/api/forge", json={"prompt": "a tin cup", "tier": "draft"}).json()["job_id"])
        assert http.get(job["glb_url"]).status_code == 200
        assert http.get("/nowhere").status_code == 404
        assert http.request("BREW", "/healthz").status_code == 405
        after = scrape(http, TOKEN)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    files = {"route": "/files/{job_id}/{name}", "method": "GET", "status": "200"}
    assert grew("forge402_http_requests_total", **files) == 1
    assert grew("forge402_http_requests_total", route="/api/forge", method="POST", status="202") + grew(
        "forge402_http_requests_total", route="/api/forge", method="POST", status="200") == 1  # fmt: skip
    assert grew("forge402_http_requests_total", route="unmatched", method="GET", status="404") == 1
    assert grew("forge402_http_requests_total", route="/healthz", method="other", status="405") == 1
    assert not any(job["job_id"] in dict(labels).get("route", "") for _, labels in after)  # templates, not paths
    assert value(after, "forge402_jobs", state="done") == 1 and value(after, "forge402_queue_depth") == 0
    assert grew("forge402_engine_seconds_count", tier="draft", backend="local", outcome="done") == 1
    assert grew("forge402_engine_seconds_sum", tier="draft", backend="local", outcome="done") > 0


def test_queue_depth_and_age_come_from_the_store(db_backend: Backend, tmp_path: Path) -> None:
    settings = settings_from(tmp_path, db_backend.server_env(tmp_path))
    job = NewJob("free", "text_to_3d", "draft", "local", 1, "{}", 1)
    now = time.time()

    async def read() -> dict[str, float]:
        store = open_store(settings.database, tmp_path)
        await store.open()
        try:
            for ago in (120, 30):
                await store.jobs.insert(job, now - ago)
            done = await store.jobs.insert(job, now)
            await store.jobs.fail(done["id"], "test", "ended")
            families = await MetricsReader(store.jobs, settings, None).families()
        finally:
            await store.close()
        return {f"{s.name}{s.labels or ''}": s.value for family in families for s in family.samples}

    found = asyncio.run(read())
    assert found["forge402_queue_depth"] == 2
    assert 120 <= found["forge402_queue_oldest_age_seconds"] <= 120 + (time.time() - now)
    assert found["forge402_jobs{'state': 'queued'}"] == 2 and found["forge402_jobs{'state': 'failed'}"] == 1
    assert found["forge402_jobs{'state': 'done'}"] == 0  # every state is there, none missing when it has no job


def test_a_metrics_address_of_their_own(tmp_path: Path) -> None:
    port = free_port()
    env = {"FORGE402_METRICS_LISTEN": f"127.0.0.1:{port}", "FORGE402_METRICS_TOKEN": TOKEN}
    with InProcessServer(tmp_path / "a", env) as server, server.client() as http:
        # on the main port /metrics is not there at all, token or not
        assert_error(http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}), 404, "not_found")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as own:
            samples = wait_for_listener(own)
            assert ("forge402_queue_depth", frozenset()) in samples
            with InProcessServer(tmp_path / "b", env):  # a second process wanting the address waits its turn
                assert wait_for_listener(own)
    with httpx.Client(timeout=2) as after:  # stopped with the service
        try:
            after.get(f"http://127.0.0.1:{port}/metrics")
            raise AssertionError("the metrics address outlived the service")
        except httpx.TransportError:
            pass


def wait_for_listener(client: httpx.Client) -> dict:
    deadline = time.monotonic() + 15
    while True:
        try:
            return scrape(client)
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the metrics address never answered"
            time.sleep(0.05)


def test_several_http_workers_sum_their_counters(tmp_path: Path) -> None:
    """serve --workers 2: whichever worker answers the scrape, it counts the answers of both."""
    shared = tmp_path / "metrics"  # named here (serve makes a temporary one otherwise) to see who counted
    shared.mkdir()
    env = {"FORGE402_METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    with LiveServer(tmp_path / "data", env, workers=2) as live:
        for _ in range(40):
            with live.client() as http:  # a new connection each time: the kernel spreads them over the workers
                assert http.get("/api/forge?catalog").status_code == 200
        assert len({path.stem.rsplit("_", 1)[-1] for path in shared.glob("counter_*.db")}) == 2  # both answered
        counts = set()
        for _ in range(6):
            with live.client() as http:
                samples = scrape(http, TOKEN)
            counts.add(value(samples, "forge402_http_requests_total", route="/api/forge", method="GET", status="200"))
    assert counts == {40.0}, counts
