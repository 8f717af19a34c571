"""The in-service worker: claims queued jobs, runs them in the mesh process pool, records the outcome.

Every service process runs one `JobRunner`; they coordinate only through the database (atomic claims, leases),
so jobs are shared fairly between processes and survive any one of them dying:
- a claimed job carries a lease that its owner renews; a job whose owner died (or whose lease ran out) is put
  back in the queue, at most `job_max_attempts` runs, then failed with a reason;
- a job never runs longer than `job_timeout_seconds`: past it the job fails and its engine process is killed;
- each slot has its own engine process (`app.jobs.pool`), replaced after a job when it grew past
  `engine_memory_limit_mb`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from app.config import Settings
from app.engines.registry import is_remote
from app.jobs.execute import EngineInputError, EngineTask, TaskResult, run_engine_task
from app.jobs.pool import EnginePool
from app.jobs.remote import RemoteJobs
from app.logs import request_id
from app.metrics import ENGINE_SECONDS
from app.store import jobs
from app.store.blobs import BlobStoreUnavailable
from app.store.database import Database
from app.store.files import FileStore

log = logging.getLogger("forge402.jobs")

IDLE_POLL_S = 1.0  # how often an idle worker looks for jobs queued by other processes
FINISHED_POLL_S = 0.1  # how often a fast-lane waiter re-reads a job run by another process


class JobRunner:
    def __init__(self, db: Database, settings: Settings, files: FileStore) -> None:
        self.db = db
        self.settings = settings
        self.files = files
        self.owner = jobs.process_owner(secrets.token_hex(4))
        self.slots = settings.engine_worker_count()
        self.free_slots = settings.free_worker_count()  # slots that may run free jobs at once; the rest wait for paid
        self._free_running = 0  # slots holding (or claiming) a free job
        self._pool: EnginePool | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._wake = asyncio.Event()
        self._finished: dict[str, asyncio.Event] = {}
        # provider backends: asyncio tasks polling the provider, under the same owner and leases
        self.remote = RemoteJobs(db, settings, files, self.owner, lambda: self._pool, self._notify, self.wake)

    # ---- lifecycle -------------------------------------------------------------------------------------------
    async def start(self) -> None:
        outcomes = await self.db.run(jobs.recover_lost, self.owner, self.settings.job_max_attempts)
        for job_id, outcome in outcomes:
            log.warning("job %s was interrupted by a restart: %s", job_id, outcome)
        self._pool = EnginePool(self.slots, self.settings.engine_memory_limit_mb, self.settings.log_format)
        self._tasks = [asyncio.create_task(self._slot(i), name=f"job-slot-{i}") for i in range(self.slots)]
        self._tasks.append(asyncio.create_task(self._keep_leases(), name="job-leases"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.remote.stop()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        # Jobs this process was running go back to the queue for the next start (their lease names us).
        await self.db.run(jobs.release_owned, self.owner)

    def wake(self) -> None:
        """A job was queued: let an idle slot look now rather than at its next poll."""
        self._wake.set()

    async def wait_finished(self, job_id: str, timeout: float) -> dict[str, Any] | None:
        """Wait up to `timeout` seconds for the job to be done or failed; returns its row if it is."""
        event = self._finished.setdefault(job_id, asyncio.Event())
        deadline = time.monotonic() + timeout
        try:
            while True:
                row = await self.db.run(jobs.get, job_id)
                if row is None or row["status"] in ("done", "failed"):
                    return row
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), min(remaining, FINISHED_POLL_S))
        finally:
            self._finished.pop(job_id, None)

    # ---- the work --------------------------------------------------------------------------------------------
    async def _slot(self, index: int) -> None:
        while True:
            job = await self._claim()
            if job is None:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), IDLE_POLL_S)
                continue
            if is_remote(job["backend"]):
                self.remote.start(job)  # I/O: polled on the event loop; the slot goes back to claiming
                continue
            try:
                await self._run(job, index)
            finally:
                request_id.set(None)
                if job["lane"] == "free":
                    self._free_running -= 1

    async def _claim(self) -> dict[str, Any] | None:
        """The next job for a slot: paid before free; a free one only while the free lane holds fewer than its
        share of the slots. The free place is taken before the claim (two slots claim at once) and given back
        unless a free job for an engine process came of it."""
        free_ok = self._free_running < self.free_slots
        self._free_running += free_ok
        job = None
        try:
            job = await self.db.run(jobs.claim_next, self.owner, self.settings.job_lease_seconds, free_ok)
        except Exception:
            log.exception("could not claim a job")
        finally:  # also when the slot is cancelled mid-claim (a stop): the place goes back
            if free_ok and (job is None or job["lane"] != "free" or is_remote(job["backend"])):
                self._free_running -= 1
        return job

    async def _run(self, job: dict[str, Any], slot: int) -> None:
        job_id = job["id"]
        request_id.set(job.get("request_id"))  # this slot's lines are about this job until the next one
        started = time.monotonic()
        about = {"job_id": job_id}
        log.info("job %s started: %s, %s, %s", job_id, job["mode"], job["tier"], job["backend"], extra=about)
        outcome = "failed"
        task = EngineTask(
            database_path=str(self.db.path),
            blobs=self.files.spec,
            job_id=job_id,
            owner=self.owner,
            mode=job["mode"],
            backend=job["backend"],
            tier=job["tier"],
            seed=job["seed"],
            request_json=job["request_json"],
            store_patience_s=self.settings.job_timeout_seconds,
            request_id=job.get("request_id"),
        )
        pool = self._pool
        assert pool is not None
        try:
            result: TaskResult = await asyncio.wait_for(
                pool.run(slot, run_engine_task, task), self.settings.job_timeout_seconds
            )
        except TimeoutError:
            minutes = self.settings.job_timeout_seconds / 60
            await self._fail(
                job_id,
                "timeout",
                f"Building the model took longer than {minutes:g} minutes and was "
                "stopped. Try a lower tier or a simpler prompt.",
            )
            pool.replace(slot)  # the only way to stop a running engine process
        except EngineInputError as exc:
            await self._fail(job_id, "unbuildable", str(exc))
        except BlobStoreUnavailable:
            log.error("file storage stayed unreachable while building %s", job_id)
            message = "File storage stayed unreachable while this model was built; submit it again."
            await self._fail(job_id, "storage_unavailable", message)
        except BrokenProcessPool:
            # The engine process died (out of memory, killed): the pool gave the slot a new one. Not this job's
            # fault: run it again within its attempts.
            log.warning("engine process lost while building %s", job_id)
            outcome = "lost"
            if await self.db.run(jobs.retry, job_id, self.owner, self.settings.job_max_attempts) == "requeued":
                self.wake()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("engine failed on %s", job_id)
            await self._fail(
                job_id,
                "generation_failed",
                "The engine could not build this model "
                f"({type(exc).__name__}). Retry once; if it fails again, rephrase the prompt.",
            )
        else:
            done = await self.db.run(jobs.finish, job_id, self.owner, result.recipe, result.faces, result.notes)
            if not done:
                log.warning("job %s finished after it was taken from us; result ignored", job_id)
            outcome = "done"
        seconds = time.monotonic() - started
        ENGINE_SECONDS.labels(job["tier"], job["backend"], outcome).observe(seconds)
        log.info("job %s %s in %.2f s", job_id, outcome, seconds, extra=about)
        self._notify(job_id)

    async def _fail(self, job_id: str, code: str, message: str) -> None:
        await self.db.run(jobs.fail, job_id, code, message, self.owner)

    def _notify(self, job_id: str) -> None:
        event = self._finished.get(job_id)
        if event is not None:
            event.set()

    async def _keep_leases(self) -> None:
        """Renew our leases and take back jobs whose worker vanished (in this process or another)."""
        interval = max(0.5, self.settings.job_lease_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.db.run(jobs.renew_leases, self.owner, self.settings.job_lease_seconds)
                outcomes = await self.db.run(jobs.recover_lost, self.owner, self.settings.job_max_attempts)
                if any(outcome == "requeued" for _, outcome in outcomes):
                    self.wake()
            except Exception:
                log.exception("lease upkeep failed")
