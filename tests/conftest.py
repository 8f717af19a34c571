from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests import backends, objectstore
from tests.backends import SQLITE, Backend
from tests.faultproxy import FaultProxy
from tests.inprocess import InProcessServer
from tests.live import LiveServer, ServerProcess
from tests.objectstore import Bucket
from tests.postgres import Cluster, start_cluster


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store",
        default="local",
        choices=("local", "s3"),
        help="the file store of every test server: local files (default) or S3 (moto, started by the tests)",
    )


def pytest_configure(config: pytest.Config) -> None:
    objectstore.use_for_suite(config.getoption("--store"))


def pytest_sessionfinish(session: pytest.Session) -> None:
    objectstore.stop_moto()


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


@pytest.fixture(scope="session")
def s3() -> ServerProcess:
    """This test process's S3 server (moto, on a loopback port; stopped when the session ends)."""
    return objectstore.moto_server()


@pytest.fixture(scope="session")
def s3_bucket(s3: ServerProcess) -> Callable[..., Bucket]:
    """A factory of new, empty buckets: `s3_bucket()`, or `s3_bucket(via=proxy)` to reach it through a FaultProxy."""
    return objectstore.new_bucket


@pytest.fixture
def s3_proxy(s3: ServerProcess) -> Iterator[FaultProxy]:
    """A FaultProxy in front of the S3 server (up at the start of each test)."""
    proxy = objectstore.proxy_to_s3()
    try:
        yield proxy
    finally:
        proxy.stop()
