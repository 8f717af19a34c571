"""Blobs as files under one directory (the default): a key is a relative path, every write goes through a temporary
file and a rename, so a reader or a crash never sees half a file. File I/O runs in threads. A full or failing disk is
`BlobStoreUnavailable` (503 with Retry-After, nothing left behind), as an unreachable S3 is: it may clear by itself."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import BinaryIO

from app.store.blobs.base import (
    CHUNK_BYTES,
    Blob,
    BlobInfo,
    BlobNotFound,
    BlobStore,
    BlobStoreUnavailable,
    check_key,
)
from app.store.blobs.spec import BlobSpec

FULL_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS}  # the disk, not the caller: transient


def write_atomically(target: Path, data: bytes) -> Path:
    """Write through a temporary file and a rename: a reader (or a crash) never sees half a file."""
    with _atomic(target) as f:
        f.write(data)
    return target


@contextlib.contextmanager
def _atomic(target: Path):  # type: ignore[no-untyped-def]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        _raise_if_disk(exc)
        raise
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            _raise_if_disk(exc)
        raise


def _raise_if_disk(exc: OSError) -> None:
    if exc.errno in FULL_DISK:
        raise BlobStoreUnavailable(
            f"local disk: {exc.strerror}",
            f"The server cannot store files right now ({exc.strerror}); nothing was kept. Send it again in a moment.",
        ) from exc


class LocalBlobStore(BlobStore):
    def __init__(self, spec: BlobSpec) -> None:
        self.spec = spec
        self.root = Path(spec.root)

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(write_atomically, self.path(key), data)

    async def put_stream(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        target = self.path(key)
        size = 0
        with _atomic(target) as f:
            async for chunk in chunks:
                await asyncio.to_thread(f.write, chunk)
                size += len(chunk)
        return size

    async def open(self, key: str) -> Blob:
        """The file is opened when the stream is first read (the HTTP edge sends `local_path` itself instead)."""
        info = await self.stat(key)
        return Blob(info, FileStream(self.path(key)), local_path=self.path(key))

    async def stat(self, key: str) -> BlobInfo:
        path = self.path(key)
        try:
            st = await asyncio.to_thread(path.stat)
        except (FileNotFoundError, NotADirectoryError):
            raise BlobNotFound(key) from None
        if not stat.S_ISREG(st.st_mode):  # from the stat already made: no second system call on the event loop
            raise BlobNotFound(key)
        return BlobInfo(key, st.st_size, st.st_mtime)

    async def delete(self, key: str) -> None:
        path = self.path(key)
        await asyncio.to_thread(_remove, path, self.root)

    async def list_older_than(self, prefix: str, before: float) -> list[str]:
        return await asyncio.to_thread(self._older, prefix, before)

    def _older(self, prefix: str, before: float) -> list[str]:
        base = self.root / check_key(prefix.rstrip("/"))
        found = []
        for dirpath, _dirs, names in os.walk(base):
            for name in names:
                if name.startswith("."):
                    continue  # a write in progress
                path = Path(dirpath, name)
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime < before:
                        found.append(path.relative_to(self.root).as_posix())
        return sorted(found)

    async def check(self) -> None:
        await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)


class FileStream(AsyncIterator[bytes]):
    """A file read in chunks off the loop, opened on the first read; closed when drained or by `aclose()`."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._f: BinaryIO | None = None
        self._done = False

    async def __anext__(self) -> bytes:
        if self._done:
            raise StopAsyncIteration
        if self._f is None:
            self._f = await asyncio.to_thread(self._path.open, "rb")
        chunk = await asyncio.to_thread(self._f.read, CHUNK_BYTES)
        if not chunk:
            await self.aclose()
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        self._done = True
        if self._f is not None:
            self._f.close()


def _remove(path: Path, root: Path) -> None:
    """Delete the file, then its folder if that left it empty and it is a job's own (`files/<job>/`)."""
    path.unlink(missing_ok=True)
    parent = path.parent
    if parent.parent != root and parent != root:
        with contextlib.suppress(OSError):
            parent.rmdir()
