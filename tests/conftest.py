from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.live import LiveServer

UNLIMITED = {"FORGE402_RATE_LIMIT_GENERATE": "0", "FORGE402_RATE_LIMIT_POLL": "0", "FORGE402_RATE_LIMIT_UPLOAD": "0"}


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One service for the API tests, rate limits off (they have their own server)."""
    with LiveServer(tmp_path_factory.mktemp("forge402"), UNLIMITED) as live:
        yield live


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client
