from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests import backends
from tests.backends import SQLITE, Backend
from tests.inprocess import InProcessServer
from tests.live import LiveServer
from tests.postgres import Cluster, start_cluster


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """PostgreSQL for this test process (tests.postgres): started on first use, never skipped."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def db_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The store backend of the module's servers and ledgers, once each (tests.backends)."""
    chosen = SQLITE if request.param == "sqlite" else Backend("postgres", request.getfixturevalue("postgres_cluster"))
    backends.use(chosen)
    try:
        yield chosen
    finally:
        backends.use(SQLITE)


@pytest.fixture(scope="module")
def server(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessServer]:
    """One in-process service per module and backend for the plain API tests, with the test settings."""
    with InProcessServer(tmp_path_factory.mktemp("forge402")) as served:
        yield served


@pytest.fixture
def http(server: InProcessServer) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture(scope="module")
def live_server(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real uvicorn per module and backend, with the test settings, for the tests that need a socket."""
    with LiveServer(tmp_path_factory.mktemp("forge402-live")) as live:
        yield live
