"""A small HTTP client for a forge402 server: submit, wait (with progress), download. Used by the CLI."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

POLL_INTERVAL_S = 0.5
DEFAULT_SERVER = "http://127.0.0.1:8402"


class ForgeClientError(Exception):
    """A refusal or failure reported by the server (or no server at all)."""

    def __init__(self, code: str, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.retry_after = retry_after

    @property
    def wait_out(self) -> bool:
        """A refusal that passes with time: rate limited (429), or the free queue full (503 busy)."""
        return self.status == 429 or (self.status == 503 and self.code == "busy")


@dataclass(frozen=True, slots=True)
class Progress:
    status: str
    step: str | None
    progress: int


def _error_from(response: httpx.Response) -> ForgeClientError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    retry_after = response.headers.get("retry-after")
    return ForgeClientError(
        body.get("error", f"http_{response.status_code}"),
        body.get("message", response.text[:200] or response.reason_phrase),
        response.status_code,
        float(retry_after) if retry_after and retry_after.replace(".", "", 1).isdigit() else None,
    )


class ForgeClient:
    def __init__(self, server: str = DEFAULT_SERVER, timeout: float = 60.0) -> None:
        self.server = server.rstrip("/")
        self._http = httpx.Client(base_url=self.server, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ForgeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise ForgeClientError("unreachable", f"Cannot reach {self.server}: {exc}.") from None
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def upload(self, path: Path) -> str:
        """PUT a photo into an upload slot; returns its public URL for `image_urls`."""
        from app.photos.images import sniff

        data = path.read_bytes()
        content_type = sniff(data)
        if content_type is None:
            raise ForgeClientError("not_an_image", f"{path} is not a PNG, JPEG or WebP image.")
        slot = self._request(
            "POST", "/api/forge-upload", json={"content_type": content_type, "size_bytes": len(data)}
        ).json()
        self._request(slot["method"], slot["upload_url"], content=data, headers=slot["headers"])
        return slot["public_url"]

    def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._request("POST", "/api/forge", json=body).json()

    def job(self, job_id: str) -> dict[str, Any]:
        return self._request("GET", "/api/forge", params={"job": job_id}).json()

    def catalog(self) -> dict[str, Any]:
        return self._request("GET", "/api/forge", params={"catalog": ""}).json()

    def wait(
        self, job: dict[str, Any], on_progress: Callable[[Progress], None] | None = None, timeout: float = 900
    ) -> dict[str, Any]:
        """Poll until the job is done or failed (a failed job raises). The submit answer may already be done."""
        deadline = time.monotonic() + timeout
        while True:
            if on_progress:
                on_progress(Progress(job["status"], job.get("step"), job.get("progress", 0)))
            if job["status"] == "done":
                return job
            if job["status"] == "failed":
                error = job.get("error") or {}
                raise ForgeClientError(error.get("code", "failed"), error.get("message", "The job failed."))
            if time.monotonic() > deadline:
                raise ForgeClientError("timeout", f"Job {job['job_id']} did not finish in {timeout:.0f} s.")
            time.sleep(POLL_INTERVAL_S)
            try:
                job = self.job(job["job_id"])
            except ForgeClientError as exc:
                if exc.status != 429:
                    raise
                time.sleep(exc.retry_after or 1)

    def download(self, url: str, path: Path) -> int:
        response = self._request("GET", url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(response.content)
        return len(response.content)

    def generate(
        self,
        body: dict[str, Any],
        out: Path,
        on_progress: Callable[[Progress], None] | None = None,
        rate_limit_waits: int = 0,
        on_wait: Callable[[ForgeClientError, float], None] | None = None,
    ) -> dict[str, Any]:
        """Submit, wait, download the GLB to `out`. Waits out up to `rate_limit_waits` refusals that pass with time
        (429 rate limited, 503 busy), each for its Retry-After."""
        for attempt in range(rate_limit_waits + 1):
            try:
                job = self.submit(body)
                break
            except ForgeClientError as exc:
                if not exc.wait_out or attempt == rate_limit_waits:
                    raise
                delay = exc.retry_after or 5
                if on_wait:
                    on_wait(exc, delay)
                time.sleep(delay)
        job = self.wait(job, on_progress)
        self.download(job["glb_url"], out)
        return job
