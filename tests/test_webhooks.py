"""Webhooks end to end (the whole application in-process, a real receiver): delivered, signed (verified here),
retried with the configured backoff, attempts shown on the job, a failing or silent endpoint never affecting it,
private URLs refused at submit time."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.webhooks import verify
from tests.backends import Backend
from tests.fakes import files, tripo
from tests.fakes.common import FakeServer
from tests.inprocess import InProcessServer

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

SECRET = "whsec_test_4f1a"
DELAYS = [0.3, 0.6, 1.2]  # the test schedule (production: 1 s, 5 s, 15 s)
ENV = {"FORGE402_FETCH_ALLOW_HOSTS": "127.0.0.1", "FORGE402_WEBHOOK_SECRET": SECRET,
       "FORGE402_WEBHOOK_RETRY_SECONDS": ",".join(map(str, DELAYS)), "FORGE402_WEBHOOK_TIMEOUT_SECONDS": "0.5",
       "FORGE402_PROVIDER_POLL_SECONDS": "0.1"}  # fmt: skip


@pytest.fixture(scope="module")
def receiver(db_backend: Backend) -> Iterator[FakeServer]:
    server = files.build().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def provider(db_backend: Backend) -> Iterator[FakeServer]:
    server = tripo.build({"tsk_hook_key"}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(
    db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, provider: FakeServer
) -> Iterator[InProcessServer]:
    env = {**ENV, "FORGE402_TRIPO_BASE_URL": provider.api_url}
    with InProcessServer(tmp_path_factory.mktemp("webhooks"), env) as server:
        yield server


def hooks_for(receiver: FakeServer, tag: str, count: int, timeout: float = 20) -> list[files.Hook]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [h for h in receiver.state.hooks if h.path.endswith("/" + tag)]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{count} deliveries to {tag} expected, got {len(found)}")


def webhook_of(http: httpx.Client, job_id: str, state: str, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = http.get("/api/forge", params={"job": job_id}).json()
        if job.get("webhook") and job["webhook"]["state"] == state:
            return job
        time.sleep(0.05)
    raise AssertionError(f"webhook of {job_id} never reached {state}: {job.get('webhook')}")


def forge(http: httpx.Client, receiver: FakeServer, behaviour: str, tag: str, **extra: object) -> str:
    body = {"prompt": "a wooden crate", "tier": "draft", "webhook_url": f"{receiver.url}/hooks/{behaviour}/{tag}"}
    answer = http.post("/api/forge", json={**body, **extra}, headers=extra.pop("headers", None) or {})
    assert answer.status_code in (200, 202), answer.text
    return answer.json()["job_id"]


def test_a_completed_job_is_delivered_signed_with_its_json(http: httpx.Client, receiver: FakeServer) -> None:
    job_id = forge(http, receiver, "ok", "done1")
    (hook,) = hooks_for(receiver, "done1", 1)
    assert hook.headers["x-forge-event"] == "generation.completed"
    assert hook.headers["x-forge-delivery"] == job_id
    assert hook.headers["content-type"] == "application/json"
    assert verify(SECRET.encode(), job_id, hook.headers["x-forge-signature"], hook.body)
    assert not verify(b"another secret", job_id, hook.headers["x-forge-signature"], hook.body)
    assert not verify(SECRET.encode(), job_id, hook.headers["x-forge-signature"], hook.body + b" ")
    sent = json.loads(hook.body)
    assert sent["job_id"] == job_id and sent["status"] == "done" and sent["glb_url"].startswith("http")
    assert http.get(sent["glb_url"]).content[:4] == b"glTF"
    job = webhook_of(http, job_id, "delivered")
    (attempt,) = job["webhook"]["deliveries"]
    assert attempt["status_code"] == 200 and attempt["attempt"] == 1 and attempt["event"] == "generation.completed"


def test_a_failed_job_is_delivered_as_generation_failed(http: httpx.Client, receiver: FakeServer) -> None:
    body = {"prompt": "a fail-prone vase", "backend": "tripo", "webhook_url": f"{receiver.url}/hooks/ok/failed1"}
    answer = http.post("/api/forge", json=body, headers={"x-forge-provider-key": "tsk_hook_key"})
    assert answer.status_code in (200, 202), answer.text
    (hook,) = hooks_for(receiver, "failed1", 1)
    assert hook.headers["x-forge-event"] == "generation.failed"
    assert json.loads(hook.body)["error"]["code"] == "provider_failed"


def test_an_endpoint_answering_500_is_retried_with_backoff_and_the_job_is_unaffected(
    http: httpx.Client, receiver: FakeServer
) -> None:
    job_id = forge(http, receiver, "fail", "fail1")
    hooks = hooks_for(receiver, "fail1", 4)
    gaps = [b.at - a.at for a, b in itertools.pairwise(hooks)]
    for gap, delay in zip(gaps, DELAYS, strict=True):
        assert delay <= gap < delay + 0.8, gaps
    job = webhook_of(http, job_id, "failed")
    assert job["status"] == "done" and job["error"] is None
    attempts = job["webhook"]["deliveries"]
    assert [a["attempt"] for a in attempts] == [1, 2, 3, 4]
    assert all(a["status_code"] == 500 and a["error"] == "HTTP 500" for a in attempts)
    assert all(verify(SECRET.encode(), job_id, h.headers["x-forge-signature"], h.body) for h in hooks)
    assert len({h.body for h in hooks}) == 1  # every attempt sends the same body, each signed when sent
    time.sleep(1)
    assert len(hooks_for(receiver, "fail1", 4)) == 4  # no more than 1 + 3 retries


def test_an_endpoint_that_times_out_is_recorded_and_the_job_is_unaffected(
    http: httpx.Client, receiver: FakeServer
) -> None:
    job_id = forge(http, receiver, "slow", "slow1")
    job = webhook_of(http, job_id, "failed", timeout=30)
    assert job["status"] == "done"
    attempts = job["webhook"]["deliveries"]
    assert len(attempts) == 4 and all(a["status_code"] is None and "no answer" in a["error"] for a in attempts)


def test_a_flaky_endpoint_gets_it_on_the_fourth_attempt(http: httpx.Client, receiver: FakeServer) -> None:
    job_id = forge(http, receiver, "flaky", "flaky1")
    job = webhook_of(http, job_id, "delivered")
    assert [a["status_code"] for a in job["webhook"]["deliveries"]] == [500, 500, 500, 200]


def test_private_and_loopback_webhook_urls_are_refused_at_submit(tmp_path: Path) -> None:
    env = {k: v for k, v in ENV.items() if k != "FORGE402_FETCH_ALLOW_HOSTS"}
    with InProcessServer(tmp_path, env) as strict, strict.client() as http:
        for url in ("http://127.0.0.1:9/hook", "https://127.0.0.1/hook", "https://10.0.0.5/hook",
                    "https://192.168.1.20/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/h",
                    "https://localhost/hook", "ftp://example.com/hook"):  # fmt: skip
            answer = http.post("/api/forge", json={"prompt": "a crate", "webhook_url": url})
            assert answer.status_code == 400, (url, answer.text)
            assert answer.json()["error"] == "webhook_url_forbidden" and "webhook_url" in answer.json()["message"]
        assert http.post("/api/forge/retopo", json={"job_id": "job_x1", "face_limit": 500,
                         "webhook_url": "https://10.0.0.5/h"}).json()["error"] == "webhook_url_forbidden"  # fmt: skip


def test_the_default_retry_schedule_is_1_5_15_seconds() -> None:
    assert Settings().webhook_retry_seconds == [1.0, 5.0, 15.0]
