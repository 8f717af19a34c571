"""Log lines: one JSON object a line, and a request id that follows a job from the route into the worker and the
engine process; X-Request-Id is taken from trusted proxies only, and returned in every answer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from tests.api import wait_done
from tests.inprocess import InProcessServer
from tests.live import LiveServer

GENERATED = re.compile(r"^[0-9a-f]{16}$")


def test_a_request_id_follows_its_job_into_the_worker_and_the_engine(tmp_path: Path) -> None:
    env = {"FORGE402_TRUSTED_PROXIES": "127.0.0.1", "FORGE402_FAST_LANE_MS": "0"}
    with LiveServer(tmp_path, env, log_level="info") as live, live.client() as http:
        answer = http.post(
            "/api/forge", json={"prompt": "a copper kettle", "tier": "draft"}, headers={"X-Request-Id": "trace-4711"}
        )
        assert answer.status_code == 202 and answer.headers["x-request-id"] == "trace-4711"
        job_id = answer.json()["job_id"]
        assert wait_done(http, job_id)["status"] == "done"
        other = http.get("/healthz")
        assert GENERATED.match(other.headers["x-request-id"])  # no id sent: one is made
        log = live.log_path.read_text()
    records = [json.loads(line) for line in log.splitlines() if line.strip()]  # every line is one JSON object
    assert all({"time", "level", "logger", "message", "request_id"} <= record.keys() for record in records)
    traced = [r for r in records if r["request_id"] == "trace-4711"]
    by_logger = {r["logger"] for r in traced}
    assert {"uvicorn.access", "forge402.jobs", "forge402.engine"} <= by_logger, traced
    access = next(r for r in traced if r["logger"] == "uvicorn.access")
    assert (access["method"], access["path"], access["status"]) == ("POST", "/api/forge", 202)
    assert any(r.get("job_id") == job_id and "engine built" in r["message"] for r in traced)
    assert any(r["request_id"] == other.headers["x-request-id"] and r["logger"] == "uvicorn.access" for r in records)


def test_only_a_trusted_proxy_names_the_request_id(http: httpx.Client, tmp_path: Path) -> None:
    untrusted = http.get("/healthz", headers={"X-Request-Id": "forged-by-a-client"})
    assert GENERATED.match(untrusted.headers["x-request-id"])
    with InProcessServer(tmp_path, {"FORGE402_TRUSTED_PROXIES": "127.0.0.0/8"}) as proxied, proxied.client() as via:
        assert via.get("/healthz", headers={"X-Request-Id": "lb-1:abc"}).headers["x-request-id"] == "lb-1:abc"
        for unusable in ("has spaces in it", "x" * 200, 'quote"s'):
            kept = via.get("/healthz", headers={"X-Request-Id": unusable}).headers["x-request-id"]
            assert GENERATED.match(kept), kept
        assert GENERATED.match(via.get("/nowhere").headers["x-request-id"])  # 404s carry one too
