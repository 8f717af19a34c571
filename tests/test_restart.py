"""Durability: jobs survive a SIGKILL of the whole service; a job never runs past its time limit."""

from __future__ import annotations

import httpx
import pytest

from tests.api import wait_for
from tests.live import LiveServer

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

NO_FAST_LANE = {"FORGE402_FAST_LANE_MS": "0"}


def submit_and_kill_while_running(live: LiveServer, prompts: list[str]) -> list[str]:
    """Queue high-tier jobs on one engine worker, SIGKILL the service while the first one runs."""
    with httpx.Client(base_url=live.url, timeout=30) as http:
        ids = []
        for prompt in prompts:
            answer = http.post("/api/forge", json={"prompt": prompt, "tier": "high"})
            assert answer.status_code == 202, answer.text
            ids.append(answer.json()["job_id"])
        wait_for(http, ids[0], {"running"})
    live.kill()
    return ids


def test_sigkill_with_running_and_queued_jobs_then_restart(tmp_path) -> None:
    live = LiveServer(tmp_path, NO_FAST_LANE).start()
    ids = submit_and_kill_while_running(live, ["a bronze robot", "a pine tree", "an oak barrel"])
    with LiveServer(tmp_path, NO_FAST_LANE) as again, httpx.Client(base_url=again.url, timeout=30) as http:
        finals = [wait_for(http, i, {"done", "failed"}) for i in ids]
    assert [f["status"] for f in finals] == ["done", "done", "done"]
    assert finals[0]["attempts"] == 2 and any("started again" in n for n in finals[0]["notes"])
    assert finals[1]["attempts"] == 1 and finals[2]["attempts"] == 1


def test_a_job_lost_more_often_than_allowed_fails_with_a_reason(tmp_path) -> None:
    env = {**NO_FAST_LANE, "FORGE402_JOB_MAX_ATTEMPTS": "1"}
    live = LiveServer(tmp_path, env).start()
    ids = submit_and_kill_while_running(live, ["a golden crown", "a glass bottle"])
    with LiveServer(tmp_path, env) as again, httpx.Client(base_url=again.url, timeout=30) as http:
        lost, queued = (wait_for(http, i, {"done", "failed"}) for i in ids)
    assert lost["status"] == "failed" and lost["error"]["code"] == "worker_lost"
    assert "Submit it again" in lost["error"]["message"]
    assert queued["status"] == "done"


def test_a_job_past_its_time_limit_fails_and_the_next_one_runs(tmp_path) -> None:
    env = {**NO_FAST_LANE, "FORGE402_JOB_TIMEOUT_SECONDS": "0.01"}  # far below any high-tier build
    with LiveServer(tmp_path, env) as live, httpx.Client(base_url=live.url, timeout=30) as http:
        slow = http.post("/api/forge", json={"prompt": "a detailed castle", "tier": "high"}).json()
        failed = wait_for(http, slow["job_id"], {"done", "failed"})
        assert failed["status"] == "failed" and failed["error"]["code"] == "timeout"
        assert "lower tier" in failed["error"]["message"]
    env["FORGE402_JOB_TIMEOUT_SECONDS"] = "600"
    with LiveServer(tmp_path, env) as live, httpx.Client(base_url=live.url, timeout=30) as http:
        quick = http.post("/api/forge", json={"prompt": "a mug", "tier": "draft"}).json()
        assert wait_for(http, quick["job_id"], {"done", "failed"})["status"] == "done"
