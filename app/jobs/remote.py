"""Jobs on provider backends: I/O, so asyncio tasks in the service process (never the engine pool, which only
checks and stores the downloaded model).

A job's provider task id is saved as soon as the provider accepts it: after a restart the job is claimed again and
polling resumes instead of paying the provider twice. A BYO key lives only in this process (`KeyVault`); a job
whose key is gone (restart) fails clearly, or, if it was paid for, is built by the embedded engine instead.
Failover: a transient failure is retried once (resuming the same provider task when there is one); a permanent one
fails a free job with the provider's sanitized reason and hands a paid job to the embedded engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from app.config import Settings
from app.engines.base import JobSpec, ProviderError, TaskState
from app.engines.output import RetopoFigures
from app.engines.providers.base import HttpProvider, RetopoSpec
from app.engines.providers.errors import job_error_code
from app.engines.providers.finish import CheckedModel, check_provider_model, check_provider_retopo
from app.engines.providers.keys import KeyVault
from app.engines.registry import build_engine, operator_key, provider_label
from app.engines.validate import InvalidModel
from app.logs import request_id
from app.metrics import ENGINE_SECONDS
from app.signing import UrlSigner
from app.store.files import MODEL, THUMBNAIL, FileStore, patiently
from app.store.jobs import NewJob
from app.store.seam import Store

log = logging.getLogger("forge402.jobs")

STEPS = {"queued": "image", "running": "mesh", "done": "finish", "failed": "mesh"}


def spec_of(request_json: str, mode: str, tier: str, seed: int) -> JobSpec:
    request = json.loads(request_json)
    return JobSpec(
        mode=mode,
        prompt=request.get("prompt"),
        seed=seed,
        tier=tier,
        face_limit=request.get("face_limit"),
        quad=bool(request.get("quad")),
    )


def retopo_spec(request: dict[str, Any], model_url: str | None) -> RetopoSpec:
    return RetopoSpec(
        mode="retopo",
        face_limit=int(request["face_limit"]),
        quad=bool(request["quad"]),
        bake=bool(request["bake"]),
        model_url=model_url,
        source_task=request["source"].get("provider_task"),
    )


class RemoteJobs:
    """Runs provider jobs for one JobRunner (same owner, same leases)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        files: FileStore,
        owner: str,
        pool: Callable[[], Executor | None],
        finished: Callable[[str], None],
        wake: Callable[[], None],
    ) -> None:
        self.store = store
        self.settings = settings
        self.files = files
        self.owner = owner
        self.keys = KeyVault()
        self._pool = pool
        self._finished = finished
        self._wake = wake
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(settings.provider_concurrency)
        self._signer = UrlSigner(settings.signing_key(), settings.file_url_ttl_seconds)

    # ---- entry points ----------------------------------------------------------------------------------------
    def start(self, job: dict[str, Any]) -> None:
        """Drive a job this process has claimed (status running, leased to us)."""
        task = asyncio.create_task(self._run(job), name=f"remote-{job['id']}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def submit_now(self, job: NewJob, key: str, remember: bool = True) -> dict[str, Any]:
        """Free lane: create the provider task while the client waits (a wrong key is its 401, not a failed job),
        then queue the job already claimed by us with its task id, and poll it in the background."""
        engine = build_engine(self.settings, job.backend, key)
        try:
            provider_task = await engine.submit(await self._spec(job.request_json, job.mode, job.tier, job.seed))
        finally:
            await engine.aclose()
        row = await self.store.jobs.insert_claimed(job, self.owner, self.settings.job_lease_seconds)
        await self.store.provider_tasks.save(row["id"], job.backend, provider_task)
        if remember:  # a BYO key; an operator's key comes from the settings again
            self.keys.put(row["id"], key)
        self.start(row)
        return row

    async def adopt(self, job: NewJob, job_id: str | None, key: str) -> dict[str, Any]:
        """Paid lane (the job is created after settlement): queue it claimed by us, with its key, and run it."""
        row = await self.store.jobs.insert_claimed(job, self.owner, self.settings.job_lease_seconds, job_id)
        if row["status"] == "running" and row.get("lease_owner") == self.owner and self.keys.get(row["id"]) is None:
            self.keys.put(row["id"], key)
            self.start(row)
        return row

    def running(self) -> list[asyncio.Task[None]]:
        return list(self._tasks)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _spec(self, request_json: str, mode: str, tier: str, seed: int) -> JobSpec:
        """What the provider is asked; a retopology's source is sent as a signed link to our copy of it."""
        if mode != "retopo":
            return spec_of(request_json, mode, tier, seed)
        request = json.loads(request_json)
        if request["source"].get("provider_task"):
            return retopo_spec(request, None)
        source = request["source"]
        give_up_at = time.monotonic() + self.settings.job_timeout_seconds
        folder, name = await patiently(
            lambda: self.files.publish_source(source["sha256"], source["format"]), give_up_at, "publishing a source"
        )
        base = (self.settings.public_url or request.get("public_url") or "").rstrip("/")
        return retopo_spec(request, base + self._signer.sign(f"/files/{folder}/{name}"))

    # ---- one job ---------------------------------------------------------------------------------------------
    async def _run(self, job: dict[str, Any]) -> None:
        job_id = job["id"]
        request_id.set(job.get("request_id"))  # this task's own context: its lines are about this job
        started, outcome = time.monotonic(), "failed"
        try:
            async with self._slots:
                await asyncio.wait_for(self._drive(job), self.settings.job_timeout_seconds)
            outcome = "done"
        except TimeoutError:
            minutes = self.settings.job_timeout_seconds / 60
            await self._permanent(
                job, ProviderError(job["backend"], "failed", f"the provider took longer than {minutes:g} minutes")
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("provider job %s failed unexpectedly", job_id)
            await self.store.jobs.fail(
                job_id, "generation_failed", "The model could not be finished; please retry.", self.owner
            )
        finally:
            ENGINE_SECONDS.labels(job["tier"], job["backend"], outcome).observe(time.monotonic() - started)
            self.keys.forget(job_id)
            self._finished(job_id)

    async def _drive(self, job: dict[str, Any]) -> None:
        job_id, backend = job["id"], job["backend"]
        key = self.keys.get(job_id) or operator_key(self.settings, backend)
        if key is None:
            await self._key_lost(job)
            return
        engine = build_engine(self.settings, backend, key)
        notes: list[str] = []
        try:
            for attempt in (1, 2):
                try:
                    stored = await self._attempt(job, engine)
                except ProviderError as exc:
                    if exc.transient and attempt == 1:
                        log.warning("provider job %s: transient failure, retrying once (%s)", job_id, exc.kind)
                        notes.append(f"{engine.label} failed once ({exc.message}); retried")
                        await asyncio.sleep(self.settings.provider_poll_seconds)
                        continue
                    await self._permanent(job, exc, notes)
                    return
                done = await self.store.jobs.finish(job_id, self.owner, backend, stored.faces, [*notes, *stored.notes])
                if not done:
                    log.warning("provider job %s finished after it was taken from us; result ignored", job_id)
                return
        finally:
            await engine.aclose()

    async def _attempt(self, job: dict[str, Any], engine: HttpProvider) -> CheckedModel:
        job_id = job["id"]
        provider_task = await self.store.provider_tasks.get(job_id)
        if provider_task is None:
            spec = await self._spec(job["request_json"], job["mode"], job["tier"], job["seed"])
            provider_task = await engine.submit(spec)
            await self.store.provider_tasks.save(job_id, job["backend"], provider_task)
        while True:
            state = await engine.poll(provider_task)
            if state.status == "done" and (follow := await engine.next_task(provider_task)) is not None:
                provider_task = follow  # a further stage (Meshy's refine): saved first, so a restart resumes it
                await self.store.provider_tasks.save(job_id, job["backend"], follow)
                state = TaskState("running", state.progress, "mesh")
            await self.store.jobs.report_progress(job_id, self.owner, STEPS[state.status], state.progress)
            if state.status == "failed":
                raise ProviderError(engine.id, "failed", state.error or f"{engine.label} could not build the model")
            if state.status == "done":
                return await self._store(job, engine, state)
            await asyncio.sleep(self.settings.provider_poll_seconds)

    async def _store(self, job: dict[str, Any], engine: HttpProvider, state: TaskState) -> CheckedModel:
        """Download the result, check it and render its thumbnail in the engine pool, then store both."""
        glb = await engine.fetch(state)
        pool = self._pool()
        assert pool is not None
        loop = asyncio.get_running_loop()
        job_id, request = job["id"], json.loads(job["request_json"])
        try:
            if job["mode"] != "retopo":
                checked = await loop.run_in_executor(pool, check_provider_model, glb, engine.label)
            else:
                checked = await loop.run_in_executor(
                    pool, check_provider_retopo, glb, engine.label, request.get("face_limit"), request.get("quad")
                )
        except InvalidModel as exc:
            raise ProviderError(engine.id, "failed", f"{engine.label}'s model failed validation: {exc}") from None
        give_up_at = time.monotonic() + self.settings.job_timeout_seconds
        await patiently(lambda: self._write(job_id, glb, checked.thumbnail_png), give_up_at, f"storing {job_id}")
        if job["mode"] == "retopo":
            figures = RetopoFigures(request["source"]["faces"], checked.faces, 0, checked.faces, checked.watertight,
                                    checked.textured)  # fmt: skip
            await self.store.retopo_results.record(job_id, figures)
        return checked

    async def _write(self, job_id: str, glb: bytes, thumbnail_png: bytes) -> None:
        await self.files.write(job_id, THUMBNAIL, thumbnail_png)
        await self.files.write(job_id, MODEL, glb)  # last: a model in the store means the job's files are all there

    # ---- failures --------------------------------------------------------------------------------------------
    async def _permanent(self, job: dict[str, Any], exc: ProviderError, notes: list[str] | None = None) -> None:
        job_id = job["id"]
        for note in notes or []:
            await self.store.jobs.add_note(job_id, note)
        if job["lane"] == "paid":
            note = f"{provider_label(job['backend'])} failed ({exc.message}); built by the embedded engine instead"
            await self._fall_back(job_id, note)
            return
        await self.store.jobs.fail(job_id, job_error_code(exc), exc.message, self.owner)

    async def _key_lost(self, job: dict[str, Any]) -> None:
        label = provider_label(job["backend"])
        if job["lane"] == "paid":
            await self._fall_back(
                job["id"],
                f"the service restarted while {label} was building this model and provider keys are never stored;"
                " built by the embedded engine instead",
            )
            return
        await self.store.jobs.fail(
            job["id"],
            "provider_key_lost",
            f"The service restarted while {label} was building this model. Your provider key is never stored, "
            "so the job could not be resumed; submit it again.",
            self.owner,
        )

    async def _fall_back(self, job_id: str, note: str) -> None:
        with contextlib.suppress(Exception):
            await self.store.provider_tasks.forget(job_id)
        if await self.store.jobs.fall_back_to_local(job_id, self.owner, note):
            self._wake()
