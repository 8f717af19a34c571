"""The blob interface: named bytes in one flat key space, whatever holds them (`local` files or `s3`).

Small on purpose, and async (the event loop never waits on a disk or a network): put bytes or a stream, open a stream
with its size, stat, exists, delete, and list what is older than a time (retention). Keys are relative paths such as
`files/<job>/model.glb`; `app.store.files` names them. A backend raises `BlobNotFound` for a missing key and
`BlobStoreUnavailable` when it cannot be reached (the HTTP edge answers 503 with Retry-After); anything else is a bug.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import ForgeError

if TYPE_CHECKING:
    from app.store.blobs.spec import BlobSpec

CHUNK_BYTES = 256 * 1024  # what a stream reads at a time
RETRY_AFTER_S = 5  # what a client is told to wait when the store is unreachable
UNREACHABLE = "File storage is unreachable right now; nothing was lost. Retry in a few seconds."
_KEY = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$")  # no '..', no hidden parts


class BlobNotFound(Exception):
    """No blob under that key."""


class BlobStoreUnavailable(ForgeError):
    """The store cannot be reached right now (network, outage, throttling); trying again later can work."""

    def __init__(self, detail: str, message: str = UNREACHABLE) -> None:
        super().__init__("storage_unavailable", message, retry_after=RETRY_AFTER_S)
        self.detail = detail  # for the log, never for the client (it may name the endpoint)

    def __reduce__(self) -> tuple[type[BlobStoreUnavailable], tuple[str, str]]:
        return type(self), (self.detail, self.message)  # raised in an engine process, caught in its worker


class BlobStoreMisconfigured(RuntimeError):
    """The configured store does not exist or refuses us (a missing bucket, no access): the service cannot start."""


def check_key(key: str) -> str:
    if len(key) > 512 or not _KEY.match(key):
        raise ValueError(f"not a blob key: {key!r}")
    return key


@dataclass(frozen=True, slots=True)
class BlobInfo:
    key: str
    size: int
    modified: float  # unix time of the last write


@dataclass(slots=True)
class Blob:
    """An opened blob: its size, and its bytes as a stream read once (`chunks()`), which must be drained or
    `close()`d. `local_path` is set by the local backend, so the HTTP edge can serve the file directly."""

    info: BlobInfo
    stream: AsyncIterator[bytes]
    local_path: Path | None = None

    @property
    def size(self) -> int:
        return self.info.size

    def chunks(self) -> AsyncIterator[bytes]:
        return self.stream

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self.stream])

    async def close(self) -> None:
        aclose = getattr(self.stream, "aclose", None)
        if aclose is not None:
            await aclose()


class BlobStore(ABC):
    """One store; every method is safe to call from any task, any thread's loop, any process that reopened it."""

    spec: BlobSpec  # a picklable description another process (an engine, a worker on another machine) reopens

    @abstractmethod
    async def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, replacing what was there; readers never see half of it."""

    @abstractmethod
    async def put_stream(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        """Store a stream under `key` (nothing is visible until all of it is); returns its size."""

    @abstractmethod
    async def open(self, key: str) -> Blob:
        """The blob's size and a stream of its bytes; BlobNotFound if there is none."""

    @abstractmethod
    async def stat(self, key: str) -> BlobInfo:
        """Size and time of the blob; BlobNotFound if there is none."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the blob (no error if it is not there)."""

    @abstractmethod
    async def list_older_than(self, prefix: str, before: float) -> list[str]:
        """Keys under `prefix` last written before `before` (unix time)."""

    @abstractmethod
    async def check(self) -> None:
        """Reach the store once: BlobStoreMisconfigured (start-up refuses) or BlobStoreUnavailable."""

    async def close(self) -> None:  # noqa: B027 - optional: backends holding connections override it
        """Release what the store holds (connections); it may be used again afterwards."""

    async def read(self, key: str) -> bytes:
        blob = await self.open(key)
        try:
            return await blob.read()
        finally:
            await blob.close()

    async def exists(self, key: str) -> bool:
        try:
            await self.stat(key)
        except BlobNotFound:
            return False
        return True
