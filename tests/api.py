"""Talking to the API in tests: the shape of every error answer, and polling a job until it gets somewhere."""

from __future__ import annotations

import time
from typing import Any

import httpx

FINISHED = frozenset({"done", "failed"})


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """`{"error": code, "message": ...}` with `status`, as JSON, with a message a person can act on."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and len(body["message"]) > 10, body
    return body


def poll_url(job: str) -> str:
    """A job id or its poll URL, as a URL to poll."""
    return job if "/" in job else f"/api/forge?job={job}"


def wait_for(http: httpx.Client, job: str, statuses: frozenset[str] | set[str], timeout: float = 90) -> dict[str, Any]:
    """Poll `job` (an id or a poll URL) until its status is one of `statuses`; its view then."""
    deadline = time.monotonic() + timeout
    current: dict[str, Any] = {}
    while time.monotonic() < deadline:
        current = http.get(poll_url(job)).json()
        if current["status"] in statuses:
            return current
        time.sleep(0.05)
    raise AssertionError(f"{job} never reached {sorted(statuses)} in {timeout} s: {current}")


def wait_done(http: httpx.Client, job: str, timeout: float = 120) -> dict[str, Any]:
    """Poll `job` (an id or a poll URL) until it is done or failed."""
    return wait_for(http, job, FINISHED, timeout)
