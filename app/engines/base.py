"""The interface every remote backend implements, so the job runner drives them all the same way.

A backend takes a job (`submit` → its own task id), reports where the task is (`poll` → our status, progress and
step, and the result's URL once done) and hands over the finished model (`fetch` → GLB bytes). The embedded engine
runs in the service's process pool instead (CPU work); remote ones are I/O and run as asyncio tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

TaskStatus = Literal["queued", "running", "done", "failed"]
ErrorKind = Literal["auth", "payment", "rate_limited", "transient", "rejected", "failed"]

TRANSIENT: frozenset[str] = frozenset({"rate_limited", "transient"})


@dataclass(frozen=True, slots=True)
class Backend:
    """One engine as the catalog lists it (`app.engines.registry` holds them all)."""

    id: str
    label: str
    vendor: str
    paths: tuple[str, ...]  # which inputs it builds from (text, image, multiview), and "retopo" if it retopologizes
    byok: bool  # a provider: runs on the caller's own key (or the operator's)
    eta_seconds: int


@dataclass(frozen=True, slots=True)
class JobSpec:
    """What a backend is asked to build (provider-neutral)."""

    mode: str  # text_to_3d | retopo
    prompt: str | None = None
    seed: int | None = None
    tier: str = "standard"
    face_limit: int | None = None
    quad: bool = False
    model_url: str | None = None


@dataclass(frozen=True, slots=True)
class TaskState:
    status: TaskStatus
    progress: int = 0  # 0..100
    step: str = "mesh"  # image | mesh | finish (ours)
    result_url: str | None = None
    error: str | None = None  # sanitized provider reason when failed
    extra: dict[str, str] = field(default_factory=dict)


class ProviderError(Exception):
    """A provider call failed. `message` is already sanitized (safe to show a user); `kind` decides what we do:
    transient kinds are retried, the others fail the attempt (and a paid job falls back to the embedded engine)."""

    def __init__(self, provider: str, kind: ErrorKind, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.kind = kind
        self.message = message
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT


class RemoteEngine(Protocol):
    id: str
    label: str

    async def submit(self, spec: JobSpec) -> str: ...

    async def poll(self, task_id: str) -> TaskState: ...

    async def fetch(self, state: TaskState) -> bytes: ...

    async def aclose(self) -> None: ...
