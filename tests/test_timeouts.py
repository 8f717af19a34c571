"""Server-side time and connection limits on a real uvicorn (issue 13, finding 4): a body that never arrives gets a
408 and the connection closes, so does a head sent slowly or not at all; idle kept-alive connections close; past
the connection cap the server answers 503 instead of taking more descriptors."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live import HOST, LiveServer
from tests.paid import wait_until
from tests.settings import server_env

GUARD_S = 30  # a bound on each wait, so the test fails instead of hanging when a limit is missing
LIMITS = server_env(http_body_timeout_seconds=1, http_header_timeout_seconds=1, http_keep_alive_seconds=1)
CAP = 8


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("timeouts"), LIMITS) as server:
        yield server


def connect(live: LiveServer) -> socket.socket:
    return socket.create_connection((HOST, live.port), timeout=GUARD_S)


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (socket.timeout if it never does)."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def status_and_body(raw: bytes) -> tuple[int, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body) if body else {}


def test_a_body_that_never_arrives_gets_a_408_and_the_connection_closes(live: LiveServer) -> None:
    with contextlib.closing(connect(live)) as sock:
        sock.sendall(
            b"POST /api/forge HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 60000\r\n\r\n{"
        )
        status, body = status_and_body(read_all(sock))
    assert status == 408 and body["error"] == "request_timeout", body


def test_an_upload_whose_bytes_stop_gets_a_408_and_its_slot_is_spent(live: LiveServer) -> None:
    with live.client() as http:
        slot = http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": 5000}).json()
    target = urlsplit(slot["upload_url"])
    with contextlib.closing(connect(live)) as sock:
        sock.sendall(
            f"PUT {target.path}?{target.query} HTTP/1.1\r\nHost: x\r\ncontent-type: image/png\r\n"
            "content-length: 5000\r\n\r\n".encode()
            + b"\x89PNG"
        )
        status, body = status_and_body(read_all(sock))
    assert status == 408 and body["error"] == "request_timeout", body
    with live.client() as http:
        again = http.put(slot["upload_url"], content=b"x" * 5000, headers=slot["headers"])
    assert again.status_code == 403 and again.json()["error"] == "slot_used"


def test_a_head_sent_slowly_gets_a_408_and_the_connection_closes(live: LiveServer) -> None:
    with contextlib.closing(connect(live)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and never the rest
        status, body = status_and_body(read_all(sock))
    assert status == 408 and body["error"] == "request_timeout", body


def test_a_connection_that_sends_nothing_is_closed(live: LiveServer) -> None:
    with contextlib.closing(connect(live)) as sock:
        read_all(sock)  # returns once the server closed it


def test_an_idle_kept_alive_connection_is_closed(live: LiveServer) -> None:
    with contextlib.closing(connect(live)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = read_all(sock)  # the answer, then the close once the keep-alive time has passed
    assert answer.startswith(b"HTTP/1.1 200")


def test_past_the_connection_cap_the_server_answers_503(tmp_path: Path) -> None:
    with LiveServer(tmp_path, server_env(http_max_connections=CAP)) as live:
        held = [connect(live) for _ in range(CAP)]  # idle: their heads are due in 10 s
        try:
            with contextlib.closing(connect(live)) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                assert read_all(sock).startswith(b"HTTP/1.1 503")
        finally:
            for sock in held:
                sock.close()
        wait_until(lambda: httpx.get(live.url + "/healthz").status_code == 200)  # serves again once they are gone
