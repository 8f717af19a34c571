"""What is kept in the blob store, and under which key (one `FileStore` per process, over its `BlobStore`):

    files/<job_id>/<name>        a job's model, thumbnail and quad OBJ (served through signed links)
    uploads/<id>.<ext>           photos uploaded or fetched for image_urls
    sources/<sha256>.<format>    retopology sources, kept by content hash

With local files these keys are paths under the data directory (the layout every earlier version used); on S3 they
sit under the URL's prefix. Engine processes reopen the same store from `spec`, never from a path.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from functools import cache
from typing import Any, TypeVar

from app.store.blobs import Blob, BlobSpec, BlobStore, BlobStoreUnavailable, open_blob_store

T = TypeVar("T")
log = logging.getLogger("forge402.files")

MODEL = "model.glb"
THUMBNAIL = "thumbnail.png"
QUAD_MODEL = "model.obj"  # retopology with quads (GLB stores only triangles)
SERVABLE = {MODEL: "model/gltf-binary", THUMBNAIL: "image/png", QUAD_MODEL: "model/obj"}
SOURCE_NAMES = {"glb": MODEL, "obj": QUAD_MODEL}  # a retopology source, published where /files/ links reach it
JOBS, IMAGES, SOURCES = "files", "uploads", "sources"  # the areas (folders, or key prefixes)
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_IMAGE = re.compile(r"^[A-Za-z0-9_-]{22,64}\.(png|jpg|webp)$")
_SOURCE = re.compile(r"^[0-9a-f]{64}$")
PATIENCE_STEPS_S = (0.5, 1, 2, 4, 8)  # then every 10 s


def job_key(job_id: str, name: str) -> str:
    if not _SAFE_ID.match(job_id):
        raise ValueError(f"not a job id: {job_id!r}")
    if name not in SERVABLE:
        raise ValueError(f"not a stored file name: {name!r}")
    return f"{JOBS}/{job_id}/{name}"


def image_key(name: str) -> str:
    if not _IMAGE.match(name):
        raise ValueError(f"not an upload file name: {name!r}")
    return f"{IMAGES}/{name}"


def source_key(sha256: str, fmt: str) -> str:
    if not _SOURCE.match(sha256) or fmt not in SOURCE_NAMES:
        raise ValueError(f"not a source: {sha256!r}.{fmt!r}")
    return f"{SOURCES}/{sha256}.{fmt}"


class FileStore:
    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs

    @property
    def spec(self) -> BlobSpec:
        """What another process needs to open this store (picklable)."""
        return self.blobs.spec

    # ---- a job's files -------------------------------------------------------------------------------------------
    async def write(self, job_id: str, name: str, data: bytes) -> None:
        await self.blobs.put(job_key(job_id, name), data)

    async def open(self, job_id: str, name: str) -> Blob:
        """BlobNotFound when the job has no such file (any more)."""
        return await self.blobs.open(job_key(job_id, name))

    async def read(self, job_id: str, name: str) -> bytes:
        return await self.blobs.read(job_key(job_id, name))

    async def exists(self, job_id: str, name: str) -> bool:
        return await self.blobs.exists(job_key(job_id, name))

    # ---- images (uploads and fetched image_urls) -------------------------------------------------------------------
    async def write_image(self, name: str, data: bytes) -> None:
        await self.blobs.put(image_key(name), data)

    async def open_image(self, name: str) -> Blob:
        return await self.blobs.open(image_key(name))

    async def read_image(self, name: str) -> bytes:
        return await self.blobs.read(image_key(name))

    async def image_exists(self, name: str) -> bool:
        return await self.blobs.exists(image_key(name))

    async def delete_image(self, name: str) -> None:
        await self.blobs.delete(image_key(name))

    # ---- retopology sources ------------------------------------------------------------------------------------------
    async def keep_source(self, data: bytes, fmt: str) -> str:
        """Keep a source model by its content hash; returns the hash. Written every time (same bytes, same key): that
        renews its age, so retention never takes a source a new job is about to use."""
        sha = hashlib.sha256(data).hexdigest()
        await self.blobs.put(source_key(sha, fmt), data)
        return sha

    async def read_source(self, sha256: str, fmt: str) -> bytes:
        return await self.blobs.read(source_key(sha256, fmt))

    async def publish_source(self, sha256: str, fmt: str) -> tuple[str, str]:
        """Copy a kept source where signed `/files/` links reach it (a provider fetches it): (folder, name)."""
        folder, name = f"src_{sha256}", SOURCE_NAMES[fmt]
        await self.write(folder, name, await self.read_source(sha256, fmt))
        return folder, name


@cache
def file_store(spec: BlobSpec) -> FileStore:
    """The process's one FileStore for `spec`."""
    return FileStore(open_blob_store(spec))


async def patiently(call: Callable[[], Awaitable[T]], give_up_at: float, what: str) -> T:
    """`call()`, waiting out an unreachable store until `give_up_at` (monotonic time): a job that has built its
    model keeps it until the store is back, instead of failing (the job's own timeout still bounds it)."""
    steps = iter(PATIENCE_STEPS_S)
    warned = False
    while True:
        try:
            return await call()
        except BlobStoreUnavailable as exc:
            delay = next(steps, 10)
            if time.monotonic() + delay > give_up_at:
                raise
            if not warned:
                log.warning("file storage unreachable while %s (%s); waiting for it", what, exc.detail)
                warned = True
            await asyncio.sleep(delay)


def run_blocking(call: Coroutine[Any, Any, T]) -> T:
    """Run storage calls to completion from code outside any event loop (an engine process)."""
    return asyncio.run(call)
