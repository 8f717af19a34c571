"""What an engine process does with one job: run the engine, report progress, store what it returned.

Runs inside the mesh process pool, never on the event loop. Progress goes straight to the job's row (throttled),
so polls see it while the mesh is built without any traffic through the parent process. Engines only return an
`EngineOutput`; the files are written here, through the process's one `FileStore`, reopened from the task's
`BlobSpec` (local files or S3: the same task runs on any machine that reaches the store). While the store is
unreachable, reading inputs and writing the result wait for it (within the job's time) instead of failing the job.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from app.engines.output import EngineOutput
from app.logs import LogFormat, configure, request_id
from app.store.blobs import BlobNotFound, BlobSpec
from app.store.files import MODEL, QUAD_MODEL, THUMBNAIL, FileStore, file_store, patiently, run_blocking
from app.store.seam import StoreHandle
from app.tiers import get_tier

T = TypeVar("T")
log = logging.getLogger("forge402.engine")
PROGRESS_INTERVAL_S = 0.2
ENGINE_NICENESS = 10  # engine processes run behind the HTTP process when the CPU is contended


class EngineInputError(Exception):
    """The request cannot be built as asked; the message tells the user what to change."""


@dataclass(frozen=True, slots=True)
class EngineTask:
    store: StoreHandle  # the engine process writes progress (and retopology figures) through its own connection
    blobs: BlobSpec  # the blob store the job's inputs and files are in
    job_id: str
    owner: str
    mode: str
    backend: str
    tier: str
    seed: int
    request_json: str
    store_patience_s: float = 600.0  # how long to wait out an unreachable store (the job's timeout)
    request_id: str | None = None  # the request that created the job: in this process's log lines about it

    @property
    def files(self) -> FileStore:
        return file_store(self.blobs)

    def storage(self, call: Callable[[FileStore], Awaitable[T]], what: str) -> T:
        """One storage call from the engine process, waiting out an unreachable store within the job's time."""
        files, give_up_at = self.files, time.monotonic() + self.store_patience_s
        return run_blocking(patiently(lambda: call(files), give_up_at, f"{what} of {self.job_id}"))


@dataclass(frozen=True, slots=True)
class TaskResult:
    recipe: str
    faces: int
    notes: list[str]


class ProgressReporter:
    """Writes (step, percent) to the job row when the step changes or every PROGRESS_INTERVAL_S."""

    def __init__(self, task: EngineTask) -> None:
        self._task = task
        self._step: str | None = None
        self._last = 0.0

    def __call__(self, step: str, percent: int) -> None:
        now = time.monotonic()
        if step == self._step and now - self._last < PROGRESS_INTERVAL_S:
            return
        self._step, self._last = step, now
        self._task.store.progress_writer().report_progress(self._task.job_id, self._task.owner, step, percent)


def run_engine_task(task: EngineTask) -> TaskResult:
    """Build the model for `task` and store its files. Raises EngineInputError for unbuildable input."""
    request_id.set(task.request_id)
    started = time.monotonic()
    result = _run(task)
    log.info("engine built %s: %d faces (%s) in %.2f s", task.job_id, result.faces, result.recipe,
             time.monotonic() - started, extra={"job_id": task.job_id})  # fmt: skip
    return result


def _run(task: EngineTask) -> TaskResult:
    request = json.loads(task.request_json)
    report = ProgressReporter(task)
    report("image", 0)
    if task.mode == "retopo":
        return run_retopo_task(task, request, report)
    if task.backend == "local" and task.mode in ("image_to_3d", "multiview_to_3d"):
        return run_photo_task(task, request, report)
    if task.backend != "local" or task.mode != "text_to_3d":
        raise EngineInputError(f"the {task.backend} engine cannot build {task.mode} jobs on this server")
    from app.engines.local.text import generate_from_text  # imported here: heavy, and warm after first use

    return store_output(task, generate_from_text(request["prompt"], get_tier(task.tier), task.seed, report))


def store_output(task: EngineTask, output: EngineOutput, notes: list[str] | None = None) -> TaskResult:
    """Write the model, its thumbnail (and a quad OBJ) where the job's files live; `notes` replace the engine's.
    The model goes last: a job's model in the store means its other files are there too."""
    task.storage(lambda files: write_output(files, task.job_id, output), "storing the model")
    return TaskResult(recipe=output.recipe, faces=output.faces, notes=list(output.notes) if notes is None else notes)


async def write_output(files: FileStore, job_id: str, output: EngineOutput) -> None:
    await files.write(job_id, THUMBNAIL, output.thumbnail_png)
    if output.quad_obj is not None:
        await files.write(job_id, QUAD_MODEL, output.quad_obj)
    await files.write(job_id, MODEL, output.glb)


def run_photo_task(task: EngineTask, request: dict, report: ProgressReporter) -> TaskResult:
    """Photo → 3D / multiview → 3D from the images `app.photos` stored before the job was queued."""
    from app.engines.local.photo import PhotoInputError, generate_from_photos

    images = []
    for position, name in enumerate(request["images"], 1):
        try:
            images.append(task.storage(lambda files, name=name: files.read_image(name), "reading a photo"))
        except (BlobNotFound, ValueError):
            raise EngineInputError(f"photo {position} has expired from storage; upload it again") from None
    try:
        output = generate_from_photos(images, get_tier(task.tier), task.seed, report)
    except PhotoInputError as exc:
        raise EngineInputError(str(exc)) from None
    notes = list(output.notes)
    if request.get("prompt"):
        notes.append("the prompt is not used when photos are given")
    return store_output(task, output, notes)


def run_retopo_task(task: EngineTask, request: dict, report: ProgressReporter) -> TaskResult:
    """Retopology of the source kept (by content hash) when the job was planned; its figures are recorded."""
    from app.engines.local.retopo import retopologize

    source = request["source"]
    try:
        data = task.storage(lambda files: files.read_source(source["sha256"], source["format"]), "reading the source")
    except BlobNotFound:
        raise EngineInputError("the source model is gone from storage; submit the retopology again") from None
    out = retopologize(data, source["format"], int(request["face_limit"]), bool(request["quad"]),
                       bool(request["bake"]), report)  # fmt: skip
    result = store_output(task, out.model)
    task.store.progress_writer().record_retopo(task.job_id, out.figures)
    return result


def warm_up(log_level: str = "INFO", log_format: LogFormat = "json") -> None:
    """Pool initializer: log like the service, yield the CPU to the HTTP process (mesh building is batch work, polls
    and payments are interactive), and import the engine once per process so the first job is as fast as the rest.
    (SIGTERM is ignored here: `app.jobs.engine_signals`.)"""
    configure(log_level, log_format)
    with contextlib.suppress(OSError):
        os.nice(ENGINE_NICENESS)
    import app.engines.local.photo
    import app.engines.local.text  # noqa: F401
