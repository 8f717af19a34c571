"""PostgreSQL goes away under load (a proxy in front of it drops every connection and refuses new ones, as a
restarting server does; the database itself keeps its state): requests answer 503 `store_unavailable` with
Retry-After while it is away, never a 500; nothing is half-written (a job exists exactly when its submission was
accepted); and the service recovers by itself when it is back: pool, notifications, jobs in flight."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests import backends
from tests.api import assert_error, wait_done
from tests.backends import TEST_SECRET, Backend
from tests.faultproxy import FaultProxy
from tests.live import LiveServer
from tests.paid import wait_until
from tests.postgres import Cluster

CRATE = {"prompt": "a wooden crate", "tier": "draft"}


@pytest.fixture
def postgres(postgres_cluster: Cluster) -> Iterator[Backend]:
    """This test runs on PostgreSQL only: what it breaks is the connection to a database server."""
    backend = Backend("postgres", postgres_cluster)
    backends.use(backend)
    try:
        yield backend
    finally:
        backends.use(backends.SQLITE)


def through(url: str, proxy: FaultProxy) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}"))


def test_postgresql_away_under_load_answers_503_writes_nothing_half_and_recovers(
    postgres: Backend, tmp_path: Path
) -> None:
    url = postgres.database_url(tmp_path)
    assert url is not None
    parts = urlsplit(url)
    accepted: list[str] = []
    with FaultProxy((parts.hostname or "127.0.0.1", parts.port or 5432), name="postgres-proxy") as proxy:
        env = {"FORGE402_DATABASE_URL": through(url, proxy), "FORGE402_SECRET": TEST_SECRET,
               "FORGE402_FAST_LANE_MS": "0"}  # fmt: skip
        with LiveServer(tmp_path, env) as live, httpx.Client(base_url=live.url, timeout=60) as http:
            polling, stop = Counter[int](), threading.Event()

            def poll_all_along() -> None:  # the load: polls of the jobs accepted so far, all through the outage
                with httpx.Client(base_url=live.url, timeout=60) as poller:
                    while not stop.is_set():
                        for job in list(accepted[-3:]):
                            polling[poller.get(f"/api/forge?job={job}").status_code] += 1

            for _ in range(3):
                accepted.append(http.post("/api/forge", json=CRATE).json()["job_id"])
            load = threading.Thread(target=poll_all_along, daemon=True)
            load.start()
            proxy.down()
            refused = http.post("/api/forge", json=CRATE)
            assert_error(refused, 503, "store_unavailable")
            assert int(refused.headers["retry-after"]) >= 1
            assert_error(http.get(f"/api/forge?job={accepted[0]}"), 503, "store_unavailable")
            assert assert_error(http.get("/readyz"), 503, "not_ready")["database"] == "store_unavailable"
            proxy.up()
            wait_until(lambda: http.get("/readyz").status_code == 200, timeout=60)
            for _ in range(3):
                after = http.post("/api/forge", json=CRATE)
                assert after.status_code == 202, after.text
                accepted.append(after.json()["job_id"])
            assert [wait_done(http, job)["status"] for job in accepted] == ["done"] * len(accepted)
            stop.set()
            load.join(30)
        assert set(polling) <= {200, 503}  # never a 500, whatever the timing
        assert postgres.value(tmp_path, "SELECT count(*) FROM jobs") == len(accepted)  # none for a refused one
