from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.inprocess import InProcessServer
from tests.live import LiveServer


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
