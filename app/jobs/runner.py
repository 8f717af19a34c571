"""The worker: claims queued jobs, runs them in the mesh process pool, records the outcome.

Every `serve` process and every `forge402 worker` runs one `JobRunner` (`serve --no-engine` runs one with no engine
slots: it claims nothing, and only drives the provider jobs of keys it holds); they coordinate only through the
store (atomic claims, leases), so jobs are shared fairly between processes and nodes and survive any one dying:
- a claimed job carries a lease that its owner renews; a job whose owner died (or whose lease ran out) is put
  back in the queue, at most `job_max_attempts` runs, then failed with a reason;
- a job never runs longer than `job_timeout_seconds`: past it the job fails and the engine process is killed;
- an idle slot waits for a job to be queued (PostgreSQL notifies every node; SQLite is polled), and a caller waiting
  on a job is woken when it ends;
- `stop(drain=True)` (SIGTERM) stops claiming, lets running jobs finish for up to `drain_seconds`, then puts what
  is left back in the queue for another node.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import secrets
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from app.config import Settings
from app.engines.registry import is_remote
from app.errors import StoreUnavailable
from app.jobs.execute import EngineInputError, EngineTask, TaskResult, run_engine_task, warm_up
from app.jobs.remote import RemoteJobs
from app.logs import request_id
from app.metrics import ENGINE_SECONDS
from app.store import jobs
from app.store.blobs import BlobStoreUnavailable
from app.store.files import FileStore
from app.store.jobs import FINISHED, QUEUED
from app.store.seam import Store

log = logging.getLogger("forge402.jobs")
T = TypeVar("T")

# Imported once in the fork server, so every engine process starts with them loaded and shares their pages
# (copy-on-write) instead of holding a private copy each: the engines import these lazily.
ENGINE_PRELOAD = [
    "app.jobs.engine_signals",  # first: the fork server ignores SIGTERM (the parent drains)
    "app.jobs.execute",
    "app.engines.local.text",
    "app.engines.local.photo",
    "numpy",
    "scipy.ndimage",
    "scipy.spatial",
    "trimesh",
    "fast_simplification",
    "skimage.measure",
    "PIL.Image",
]


def _pool(workers: int, log_format: str) -> ProcessPoolExecutor:
    # forkserver: engine processes never inherit the event loop's threads or sockets; the server process
    # imports the engine once, so starting (or replacing) a worker is cheap. Their log lines look like ours.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(ENGINE_PRELOAD)
    level = logging.getLevelName(logging.getLogger("forge402").getEffectiveLevel())
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=warm_up, initargs=(level, log_format))


class JobRunner:
    def __init__(self, store: Store, settings: Settings, files: FileStore, slots: int | None = None) -> None:
        """`slots`: engine processes (default: the configured count; 0: claim nothing, as `serve --no-engine`)."""
        self.store = store
        self.settings = settings
        self.files = files
        self.owner = jobs.process_owner(secrets.token_hex(4))
        self.slots = settings.engine_worker_count() if slots is None else slots
        self._pool: ProcessPoolExecutor | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._slot_tasks: list[asyncio.Task[None]] = []
        self._draining = False
        # provider backends: asyncio tasks polling the provider, under the same owner and leases
        self.remote = RemoteJobs(store, settings, files, self.owner, self._checking_pool, self._notify, self.wake)

    # ---- lifecycle -------------------------------------------------------------------------------------------
    async def start(self) -> None:
        outcomes = await self.store.jobs.recover_lost(self.owner, self.settings.job_max_attempts)
        for job_id, outcome in outcomes:
            log.warning("job %s was interrupted by a restart: %s", job_id, outcome)
        if self.slots:
            self._pool = _pool(self.slots, self.settings.log_format)
            for _ in range(self.slots):  # start the engine processes now, not on the first job (its latency)
                self._pool.submit(int)
        self._slot_tasks = [asyncio.create_task(self._slot(i), name=f"job-slot-{i}") for i in range(self.slots)]
        self._tasks = [*self._slot_tasks, asyncio.create_task(self._keep_leases(), name="job-leases")]

    @property
    def draining(self) -> bool:
        return self._draining

    async def stop(self, drain: bool = False) -> None:
        """Stop; with `drain`, first stop claiming and let running jobs finish for up to `drain_seconds`."""
        self._draining = True
        if drain and self.settings.drain_seconds > 0:
            self.wake()  # idle slots see the drain at once
            running = [*self._slot_tasks, *self.remote.running()]
            if running:
                log.info("draining: %d job slot(s) and provider job(s) may finish", len(running))
                await asyncio.wait(running, timeout=self.settings.drain_seconds)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.remote.stop()
        if self._pool is not None:
            self._kill_pool()
        # Jobs this process was still running go back to the queue, for another worker or the next start.
        await self.store.jobs.release_owned(self.owner)

    def wake(self) -> None:
        """A job was queued here: let an idle slot look now (other processes hear it from the store)."""
        self.store.signals.fire(QUEUED)

    async def wait_finished(self, job_id: str, timeout: float) -> dict[str, Any] | None:
        """Wait up to `timeout` seconds for the job to be done or failed; returns its row if it is."""
        deadline = time.monotonic() + timeout
        signals = self.store.signals
        while True:
            with signals.armed(FINISHED, job_id) as finished:  # armed before the read: an end is never missed
                row = await self.store.jobs.get(job_id)
                if row is None or row["status"] in ("done", "failed"):
                    return row
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                await signals.wait(finished, min(remaining, self.store.finished_poll_seconds))

    # ---- the work --------------------------------------------------------------------------------------------
    async def _slot(self, index: int) -> None:
        signals = self.store.signals
        while not self._draining:
            with signals.armed(QUEUED) as queued:  # armed before the claim: a job queued meanwhile wakes us at once
                try:
                    job = await self.store.jobs.claim_next(self.owner, self.settings.job_lease_seconds)
                except Exception:
                    log.exception("could not claim a job")
                    job = None
                if job is None:
                    await signals.wait(queued, self.store.idle_poll_seconds)
                    continue
            if is_remote(job["backend"]):
                self.remote.start(job)  # I/O: polled on the event loop; the slot goes back to claiming
                continue
            try:
                await self._run(job)
            except asyncio.CancelledError:
                raise
            except Exception:  # never lose the slot: the job's lease runs out and it is recovered
                log.exception("job %s could not be run", job["id"])
            request_id.set(None)

    async def _run(self, job: dict[str, Any]) -> None:
        job_id = job["id"]
        request_id.set(job.get("request_id"))  # this slot's lines are about this job until the next one
        started = time.monotonic()
        about = {"job_id": job_id}
        log.info("job %s started: %s, %s, %s", job_id, job["mode"], job["tier"], job["backend"], extra=about)
        outcome = "failed"
        task = EngineTask(
            store=self.store.handle,
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
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(pool, run_engine_task, task)
        try:
            result: TaskResult = await asyncio.wait_for(future, self.settings.job_timeout_seconds)
        except TimeoutError:
            minutes = self.settings.job_timeout_seconds / 60
            await self._fail(
                job_id,
                "timeout",
                f"Building the model took longer than {minutes:g} minutes and was "
                "stopped. Try a lower tier or a simpler prompt.",
            )
            self._replace_pool(pool)  # the only way to stop a running engine process
        except EngineInputError as exc:
            await self._fail(job_id, "unbuildable", str(exc))
        except BlobStoreUnavailable:
            log.error("file storage stayed unreachable while building %s", job_id)
            message = "File storage stayed unreachable while this model was built; submit it again."
            await self._fail(job_id, "storage_unavailable", message)
        except BrokenProcessPool:
            # An engine process died (out of memory, killed, or the pool was replaced for another job's
            # timeout). Not this job's fault: run it again within its attempts.
            log.warning("engine process lost while building %s", job_id)
            outcome = "lost"
            self._replace_pool(pool)
            retried = await self._persist(
                lambda: self.store.jobs.retry(job_id, self.owner, self.settings.job_max_attempts)
            )
            if retried == "requeued":
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
            done = await self._persist(
                lambda: self.store.jobs.finish(job_id, self.owner, result.recipe, result.faces, result.notes)
            )
            if not done:
                log.warning("job %s finished after it was taken from us; result ignored", job_id)
            outcome = "done"
        seconds = time.monotonic() - started
        ENGINE_SECONDS.labels(job["tier"], job["backend"], outcome).observe(seconds)
        log.info("job %s %s in %.2f s", job_id, outcome, seconds, extra=about)
        self._notify(job_id)

    async def _fail(self, job_id: str, code: str, message: str) -> None:
        await self._persist(lambda: self.store.jobs.fail(job_id, code, message, self.owner))

    async def _persist(self, write: Callable[[], Awaitable[T]]) -> T:
        """A job's outcome must reach the store: while the database cannot be reached, try again (its files are
        written; only the row waits). The job's lease is renewed meanwhile, so nobody else takes it over."""
        delay = 0.5
        while True:
            try:
                return await write()
            except StoreUnavailable:
                log.warning("the store is unreachable; the outcome of a job waits (retry in %.1f s)", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _notify(self, job_id: str) -> None:
        """A job ended here: its waiters in this process look now (other processes hear it from the store)."""
        self.store.signals.fire(FINISHED, job_id)

    async def _keep_leases(self) -> None:
        """Renew our leases and take back jobs whose worker vanished (in this process or another)."""
        interval = max(0.5, self.settings.job_lease_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.store.jobs.renew_leases(self.owner, self.settings.job_lease_seconds)
                outcomes = await self.store.jobs.recover_lost(self.owner, self.settings.job_max_attempts)
                if any(outcome == "requeued" for _, outcome in outcomes):
                    self.wake()
            except Exception:
                log.exception("lease upkeep failed")

    # ---- the process pool ------------------------------------------------------------------------------------
    def _checking_pool(self) -> ProcessPoolExecutor:
        """Where a provider's result is checked and thumbnailed: the engine pool, or (no engine slots) one process
        started on first use."""
        if self._pool is None:
            self._pool = _pool(1, self.settings.log_format)
        return self._pool

    def _kill_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # ProcessPoolExecutor has no public way to stop a running call (3.14 adds kill_workers()).
        for process in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def _replace_pool(self, broken: ProcessPoolExecutor) -> None:
        if self._pool is not broken:
            return  # another slot already replaced it
        self._kill_pool()
        self._pool = _pool(max(self.slots, 1), self.settings.log_format)
