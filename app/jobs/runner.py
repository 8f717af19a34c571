"""The worker: claims queued jobs, runs them in the mesh process pool, records the outcome.

Every `serve` process and every `forge402 worker` runs one `JobRunner` (`serve --no-engine` runs one with no engine
slots: it claims nothing, and only drives the provider jobs of keys it holds); they coordinate only through the
store (atomic claims, leases), so jobs are shared fairly between processes and nodes and survive any one dying:
- a claimed job carries a lease that its owner renews; a job whose owner died (or whose lease ran out) is put
  back in the queue, at most `job_max_attempts` runs, then failed with a reason;
- a job never runs longer than `job_timeout_seconds`: past it the job fails and its engine process is killed;
- each slot has its own engine process (`app.jobs.pool`), replaced after a job when it grew past
  `engine_memory_limit_mb`;
- paid jobs are claimed before free ones, and free jobs hold at most `Settings.free_worker_count()` slots at once
  (`app.jobs.lanes`): the other slots wait for paid work;
- an idle slot waits for a job to be queued (PostgreSQL notifies every node; SQLite is polled), and a caller waiting
  on a job is woken when it ends;
- `stop(drain=True)` (SIGTERM) stops claiming, lets running jobs finish for up to `drain_seconds`, then puts what
  is left back in the queue for another node.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from app.config import Settings
from app.engines.registry import is_remote
from app.errors import StoreUnavailable
from app.jobs.execute import EngineInputError, EngineTask, TaskResult, run_engine_task
from app.jobs.pool import EnginePool
from app.jobs.remote import RemoteJobs
from app.logs import request_id
from app.metrics import ENGINE_SECONDS
from app.store.blobs import BlobStoreUnavailable
from app.store.files import FileStore
from app.store.jobs import FINISHED, QUEUED
from app.store.seam import Store
from payments.owners import new_owner

log = logging.getLogger("forge402.jobs")
T = TypeVar("T")


class JobRunner:
    def __init__(self, store: Store, settings: Settings, files: FileStore, slots: int | None = None) -> None:
        """`slots`: engine processes (default: the configured count; 0: claim nothing, as `serve --no-engine`)."""
        self.store = store
        self.settings = settings
        self.files = files
        self.owner = new_owner()  # lease owner id: host:pid:token, as the payments gateway's
        self.slots = settings.engine_worker_count() if slots is None else slots
        self.free_slots = min(self.slots, settings.free_worker_count())  # slots that may run free jobs at once
        self._free_running = 0  # slots holding (or claiming) a free job
        self._pool: EnginePool | None = None
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
        self._draining, self._free_running = False, 0  # a runner stopped and started again claims again
        if self.slots:
            self._pool = self._engine_pool(self.slots)
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
            self._pool.shutdown()
            self._pool = None
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
                job = await self._claim()
                if job is None:
                    await signals.wait(queued, self.store.idle_poll_seconds)
                    continue
            if is_remote(job["backend"]):
                self.remote.start(job)  # I/O: polled on the event loop; the slot goes back to claiming
                continue
            try:
                await self._run(job, index)
            except asyncio.CancelledError:
                raise
            except Exception:  # never lose the slot: the job's lease runs out and it is recovered
                log.exception("job %s could not be run", job["id"])
            finally:
                if job["lane"] == "free":
                    self._free_running -= 1
            request_id.set(None)

    async def _claim(self) -> dict[str, Any] | None:
        """The next job for a slot: paid before free; a free one only while the free lane holds fewer than its
        share of the slots. The free place is taken before the claim (two slots claim at once) and given back
        unless a free job for an engine process came of it."""
        free_ok = self._free_running < self.free_slots
        self._free_running += free_ok
        job = None
        try:
            job = await self.store.jobs.claim_next(self.owner, self.settings.job_lease_seconds, free_ok)
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
        except (BlobStoreUnavailable, StoreUnavailable):  # unreachable, or the disk full, past the job's patience
            log.error("file storage stayed unavailable while building %s", job_id)
            message = "File storage stayed unavailable while this model was built (unreachable or full); send it again."
            await self._fail(job_id, "storage_unavailable", message)
        except BrokenProcessPool:
            # The engine process died (out of memory, killed): the pool gave the slot a new one. Not this job's
            # fault: run it again within its attempts.
            log.warning("engine process lost while building %s", job_id)
            outcome = "lost"
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

    # ---- the engine processes --------------------------------------------------------------------------------
    def _engine_pool(self, slots: int) -> EnginePool:
        return EnginePool(slots, self.settings.engine_memory_limit_mb, self.settings.log_format)

    def _checking_pool(self) -> EnginePool:
        """Where a provider's result is checked and thumbnailed: the engine processes, or (no engine slots) one
        started on first use."""
        if self._pool is None:
            self._pool = self._engine_pool(1)
        return self._pool
