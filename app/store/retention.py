"""`FORGE402_RETENTION_DAYS`: models, thumbnails, quad OBJs and retopology sources older than that are deleted from
the store; job records stay (their poll view is kept, their links then answer 404 `file_not_found`). Photos have
their own, shorter retention (`UPLOAD_RETENTION_SECONDS`, `app.photos.uploads`).

Age is the time a file was last written (a source is rewritten by every job that uses it, so one in use is never
old). Every service process sweeps once at start and then every hour; sweeps of several processes or machines may
overlap harmlessly (a delete of what is already gone is a no-op).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time

from app.store.blobs import BlobStoreUnavailable
from app.store.files import JOBS, SOURCES, FileStore

log = logging.getLogger("forge402.retention")

AREAS = (JOBS, SOURCES)
DAY_S = 86400
SWEEP_INTERVAL_S = 3600


async def sweep(files: FileStore, before: float) -> int:
    """Delete every model, thumbnail, quad OBJ and source last written before `before` (unix time); how many."""
    removed = 0
    for area in AREAS:
        for key in await files.blobs.list_older_than(area, before):
            await files.blobs.delete(key)
            removed += 1
    return removed


class RetentionSweeper:
    """Sweeps in the background while the service runs (nothing runs when retention is off)."""

    def __init__(self, files: FileStore, days: int | None, interval_s: float = SWEEP_INTERVAL_S) -> None:
        self.files = files
        self.days = days
        self.interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.days is not None:
            self._task = asyncio.create_task(self._run(), name="retention")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def once(self, now: float | None = None) -> int:
        assert self.days is not None
        before = (time.time() if now is None else now) - self.days * DAY_S
        removed = await sweep(self.files, before)
        if removed:
            log.info("retention: deleted %d files older than %d days", removed, self.days)
        return removed

    async def _run(self) -> None:
        while True:
            try:
                await self.once()
            except BlobStoreUnavailable as exc:
                log.warning("retention sweep skipped: file storage unreachable (%s)", exc.detail)
            except Exception:
                log.exception("retention sweep failed")
            # processes started together spread their sweeps out
            await asyncio.sleep(self.interval_s * random.uniform(0.9, 1.1))
