"""What the provider adapters share: one httpx client per job, retries on transient failures, HTTP errors mapped
onto our error kinds, provider text sanitized, the result downloaded (SSRF-checked, size-capped).

The provider key lives only in this object (and the in-memory key vault): never logged, stored or echoed. Every
text that came from a provider goes through `sanitize` before it can reach a user.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.engines.base import Backend, JobSpec, ProviderError, TaskState, TaskStatus
from app.safefetch import MIB, FetchPolicy, FetchRefused, fetch, tls

_TOKENISH = re.compile(r"[A-Za-z0-9_\-+/=.]{28,}")
_BEARER = re.compile(r"(?i)(bearer|basic)\s+\S+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
EXPIRED_STATUSES = (401, 403, 404, 410)  # what a signed download URL answers once it has expired


def sanitize(text: Any, secrets: tuple[str, ...] = (), limit: int = 200) -> str:
    """Provider text made safe to show: no secrets, no credentials or token-like strings, no control characters,
    one line, at most `limit` characters."""
    out = str(text or "")
    for secret in secrets:
        if secret:
            out = out.replace(secret, "[redacted]")
    out = _BEARER.sub(r"\1 [redacted]", out)
    out = _TOKENISH.sub("[redacted]", out)
    out = " ".join(_CONTROL.sub(" ", out).split())
    return out[: limit - 1] + "…" if len(out) > limit else out


def error_text(answer: httpx.Response) -> str:
    """The human part of a provider's error body, whatever its shape."""
    try:
        body = answer.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("message", "error", "detail", "fail_reason", "msg"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return value["message"]
    return ""


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    base_url: str
    key: str
    timeout_seconds: float = 30.0
    attempts: int = 3  # per call, for transient failures
    backoff_seconds: float = 0.5
    download: FetchPolicy = field(default_factory=lambda: FetchPolicy(max_bytes=64 * MIB, timeout_s=30.0))  # results
    model: str = ""  # provider-side model id, where the API needs one (Siray, Scenario)


@dataclass(frozen=True, slots=True)
class RetopoSpec(JobSpec):
    """A retopology task: the source as a URL the provider can fetch (`model_url`), or the provider's own earlier
    task that built it (`source_task`)."""

    source_task: str | None = None
    bake: bool = False


class HttpProvider:
    """Base of the adapters: `call` for API requests, `fetch` for the model download."""

    # what the catalog says of the adapter (its `Backend`), declared once on each adapter class
    id = "provider"
    label = "Provider"  # the provider's name, in messages
    vendor = "Provider"
    description = "Provider"  # the catalog's label
    builds: tuple[str, ...] = ("text",)  # catalog paths it builds from
    eta_seconds = 120
    retopo_faces: tuple[int, int] | None = None  # face_limit range of the provider's retopology; None: none offered

    @classmethod
    def backend(cls) -> Backend:
        retopo = ("retopo",) if cls.retopo_faces is not None else ()
        return Backend(cls.id, cls.description, cls.vendor, (*cls.builds, *retopo), True, cls.eta_seconds)

    def __init__(self, settings: ProviderSettings, client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        timeout = httpx.Timeout(settings.timeout_seconds, connect=min(10.0, settings.timeout_seconds))
        self._client = client or httpx.AsyncClient(timeout=timeout, headers={"User-Agent": "forge402"}, verify=tls())

    # ---- to override -----------------------------------------------------------------------------------------
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.key}"}

    async def submit(self, spec: JobSpec) -> str:
        raise NotImplementedError

    async def poll(self, task_id: str) -> TaskState:
        raise NotImplementedError

    async def next_task(self, task_id: str) -> str | None:
        """A further provider task to run once `task_id` is done (Meshy's refine stage), or None: the result is
        ready. The returned id is saved on the job before it is polled, so a restart resumes the right stage."""
        return None

    @classmethod
    def retopo_refusal(cls, face_limit: int, quad: bool, bake: bool, source_task: str | None) -> str | None:
        """Why this provider cannot retopologize with these settings (a sentence for a 400), or None."""
        if cls.retopo_faces is None:
            return f"{cls.label} does not do retopology on this server"
        low, high = cls.retopo_faces
        if not low <= face_limit <= high:
            return f"{cls.label} retopologizes to {low:,}–{high:,} faces (got {face_limit:,})"
        return None

    # ---- shared ----------------------------------------------------------------------------------------------
    def secrets(self) -> tuple[str, ...]:
        return (self.settings.key,)

    def clean(self, text: Any) -> str:
        return sanitize(text, self.secrets())

    def url(self, path: str) -> str:
        return self.settings.base_url.rstrip("/") + path

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One API call with retries on transient failures; returns the decoded JSON or raises ProviderError.

        A POST is retried only when it surely did not run (connection refused, 429): a timeout or a 5xx after
        sending might have created a task, and a retry would pay the provider twice."""
        attempts = max(1, self.settings.attempts)
        last: ProviderError | None = None
        for attempt in range(attempts):
            if attempt:
                delay = self.settings.backoff_seconds * (2 ** (attempt - 1))
                if last is not None and last.retry_after:
                    delay = max(delay, min(last.retry_after, 10))
                await asyncio.sleep(delay)
            try:
                answer = await self._client.request(method, self.url(path), json=body, headers=self.auth_headers())
            except httpx.ConnectError:
                last = ProviderError(self.id, "transient", f"{self.label} could not be reached")
                continue
            except httpx.HTTPError as exc:
                last = ProviderError(
                    self.id, "transient", f"{self.label} did not answer in time ({type(exc).__name__})"
                )
                if method == "GET":
                    continue
                raise last from None
            try:
                return self._decode(answer)
            except ProviderError as exc:
                last = exc
                if not exc.transient or (method != "GET" and exc.kind != "rate_limited"):
                    raise
        assert last is not None
        raise last

    def _decode(self, answer: httpx.Response) -> Any:
        status = answer.status_code
        reason = self.clean(error_text(answer))
        said = f": {reason}" if reason else ""
        if status in (401, 403):
            raise ProviderError(
                self.id, "auth", f"{self.label} refused the provider key (HTTP {status}); check the key you sent."
            )
        if status == 402:
            raise ProviderError(
                self.id, "payment", f"{self.label} refused the task: the provider account is out of credits (HTTP 402)."
            )
        if status == 429:
            retry = answer.headers.get("retry-after", "")
            raise ProviderError(
                self.id,
                "rate_limited",
                f"{self.label} is rate limiting requests (HTTP 429); retry later.",
                int(retry) if retry.isdigit() else None,
            )
        if status >= 500:
            raise ProviderError(self.id, "transient", f"{self.label} had a server error (HTTP {status}){said}")
        if status >= 400:
            raise ProviderError(self.id, "rejected", f"{self.label} rejected the request (HTTP {status}){said}")
        try:
            return answer.json()
        except (ValueError, UnicodeDecodeError):
            raise ProviderError(self.id, "transient", f"{self.label} answered something that is not JSON") from None

    def garbled(self, what: str) -> ProviderError:
        return ProviderError(self.id, "transient", f"{self.label} answered an unexpected {what}")

    def text_prompt(self, spec: JobSpec) -> str:
        """The prompt of a text-to-3D spec; a rejected ProviderError for anything else."""
        if spec.mode != "text_to_3d" or not spec.prompt:
            raise ProviderError(self.id, "rejected", f"{self.label} cannot build {spec.mode} jobs through this server")
        return spec.prompt

    def object_field(self, body: Any, key: str) -> dict[str, Any]:
        """body[key] when it is an object, or a transient ProviderError."""
        node = self.field(body, key)
        if not isinstance(node, dict):
            raise self.garbled(f"answer ({key} is not an object)")
        return node

    def task_id(self, value: Any, what: str) -> str:
        """A task id the provider answered (a non-empty string), or a transient ProviderError naming `what`."""
        if not isinstance(value, str) or not value:
            raise self.garbled(f"answer (no {what})")
        return value

    def field(self, body: Any, *path: str) -> Any:
        """body[path[0]][path[1]]…, or a transient ProviderError naming what is missing."""
        node = body
        for key in path:
            if not isinstance(node, dict) or key not in node:
                raise self.garbled(f"answer (no {'.'.join(path)})")
            node = node[key]
        return node

    async def fetch(self, state: TaskState) -> bytes:
        """Download the result; if its signed URL has expired, poll once for a fresh one and try again."""
        task_id = state.extra.get("task_id", "")
        for attempt in range(2):
            url = state.result_url
            if not url:
                raise ProviderError(self.id, "transient", f"{self.label} reported success without a model URL")
            try:
                return await fetch(url, self.settings.download)
            except FetchRefused as exc:
                if exc.http_status in EXPIRED_STATUSES and attempt == 0 and task_id:
                    state = await self.poll(task_id)
                    continue
                kind = "failed" if exc.kind == "too_large" or exc.unsafe else "transient"
                raise ProviderError(self.id, kind, f"{self.label}'s model could not be downloaded: {exc}") from None
        raise ProviderError(self.id, "transient", f"{self.label}'s model link expired before it could be downloaded")

    async def aclose(self) -> None:
        await self._client.aclose()


def progressed(status: TaskStatus, progress: int, url: str | None, task_id: str) -> TaskState:
    """A task still going (its progress, in the mesh step) or done (100 %, finishing, with the result's URL)."""
    if status == "done":
        return TaskState("done", 100, "finish", url, extra={"task_id": task_id})
    return TaskState(status, progress, "mesh", url, extra={"task_id": task_id})


def percent(value: Any, scale: float = 1.0) -> int:
    """'45%' or 45 (or 0.45 with scale=100) or None → 0..100."""
    if isinstance(value, str):
        value = value.strip().rstrip("%")
        try:
            value = float(value)
        except ValueError:
            return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(0, min(100, round(value * scale)))
