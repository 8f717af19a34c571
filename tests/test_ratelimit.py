"""Per-IP rate limits: headers, 429s, X-Forwarded-For only from trusted proxies (in-process), shared across worker
processes (a real uvicorn with two workers)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.backends import Backend
from tests.inprocess import InProcessServer
from tests.live import LiveServer

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

HOUR = "3600"  # long windows: a test never straddles a window boundary


@pytest.fixture(scope="module")
def limited(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessServer]:
    env = {
        "FORGE402_RATE_LIMIT_GENERATE": "2",
        "FORGE402_RATE_LIMIT_POLL": "3",
        "FORGE402_RATE_LIMIT_WINDOW_SECONDS": HOUR,
    }
    with InProcessServer(tmp_path_factory.mktemp("limited"), env) as served:
        yield served


def test_generations_are_limited_with_headers_and_retry_after(limited: InProcessServer) -> None:
    with limited.client() as http:
        answers = [http.post("/api/forge", json={"prompt": "a wooden crate", "tier": "draft"}) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200] or all(a.status_code in (200, 202) for a in answers[:2])
    assert [a.headers["x-ratelimit-remaining"] for a in answers[:2]] == ["1", "0"]
    assert all(a.headers["x-ratelimit-limit"] == "2" for a in answers)
    refused = answers[2]
    assert refused.status_code == 429
    body = refused.json()
    assert body["error"] == "rate_limited" and "2 per" in body["message"]
    assert int(refused.headers["retry-after"]) == body["retry_after"] > 0
    assert int(refused.headers["x-ratelimit-reset"]) > 0 and refused.headers["x-ratelimit-remaining"] == "0"


def test_polls_have_their_own_budget_and_spoofed_forwarded_for_is_ignored(limited: InProcessServer) -> None:
    with limited.client() as http:
        codes = [
            http.get("/api/forge?catalog", headers={"x-forwarded-for": f"203.0.113.{i}"}).status_code for i in range(5)
        ]
    assert codes == [200, 200, 200, 429, 429]


def test_limits_hold_across_worker_processes(tmp_path) -> None:
    env = {"FORGE402_RATE_LIMIT_POLL": "6", "FORGE402_RATE_LIMIT_WINDOW_SECONDS": HOUR}
    with LiveServer(tmp_path, env, workers=2) as live:
        codes = []
        for _ in range(14):  # a new connection each time, so both workers get requests
            with httpx.Client(base_url=live.url, timeout=30) as http:
                codes.append(http.get("/api/forge?catalog").status_code)
    assert codes.count(200) == 6 and codes.count(429) == 8


def test_forwarded_for_from_a_trusted_proxy_names_the_client(tmp_path) -> None:
    env = {
        "FORGE402_RATE_LIMIT_POLL": "1",
        "FORGE402_RATE_LIMIT_WINDOW_SECONDS": HOUR,
        "FORGE402_TRUSTED_PROXIES": "127.0.0.1/32",  # the in-process client's peer address
    }
    with InProcessServer(tmp_path, env) as served, served.client() as http:

        def poll(xff: str) -> int:
            return http.get("/api/forge?catalog", headers={"x-forwarded-for": xff}).status_code

        assert poll("198.51.100.1") == 200
        assert poll("198.51.100.1") == 429
        assert poll("198.51.100.2") == 200  # another client behind the same proxy
        assert poll("198.51.100.9, 198.51.100.2") == 429  # the rightmost untrusted hop is the client
