from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests import objectstore
from tests.faultproxy import FaultProxy
from tests.inprocess import InProcessServer
from tests.live import LiveServer, ServerProcess
from tests.objectstore import Bucket


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
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessServer]:
    """One in-process service for the plain API tests, with the test settings (tests/settings.py)."""
    with InProcessServer(tmp_path_factory.mktemp("forge402")) as served:
        yield served


@pytest.fixture
def http(server: InProcessServer) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real uvicorn, with the test settings, for the tests that need a socket (the CLI talks HTTP)."""
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
