"""What an engine process does with one job: run the engine, report progress, store what it returned.

Runs inside the mesh process pool, never on the event loop. Progress goes straight to the job's row (throttled),
so polls see it while the mesh is built without any traffic through the parent process. Engines only return an
`EngineOutput`; the files are written here, through the process's one `FileStore`.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from app.engines.output import EngineOutput
from app.store.files import MODEL, QUAD_MODEL, THUMBNAIL, FileStore, file_store
from app.store.seam import StoreHandle
from app.tiers import get_tier

PROGRESS_INTERVAL_S = 0.2
ENGINE_NICENESS = 10  # engine processes run behind the HTTP process when the CPU is contended


class EngineInputError(Exception):
    """The request cannot be built as asked; the message tells the user what to change."""


@dataclass(frozen=True, slots=True)
class EngineTask:
    store: StoreHandle  # the engine process writes progress (and retopology figures) through its own connection
    data_dir: str
    job_id: str
    owner: str
    mode: str
    backend: str
    tier: str
    seed: int
    request_json: str

    @property
    def files(self) -> FileStore:
        return file_store(Path(self.data_dir))


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
    """Write the model, its thumbnail (and a quad OBJ) where the job's files live; `notes` replace the engine's."""
    files = task.files
    files.write(task.job_id, MODEL, output.glb)
    files.write(task.job_id, THUMBNAIL, output.thumbnail_png)
    if output.quad_obj is not None:
        files.write(task.job_id, QUAD_MODEL, output.quad_obj)
    return TaskResult(recipe=output.recipe, faces=output.faces, notes=list(output.notes) if notes is None else notes)


def run_photo_task(task: EngineTask, request: dict, report: ProgressReporter) -> TaskResult:
    """Photo → 3D / multiview → 3D from the images `app.photos` stored before the job was queued."""
    from app.engines.local.photo import PhotoInputError, generate_from_photos

    images = []
    for position, name in enumerate(request["images"], 1):
        try:
            images.append(task.files.image_path(name).read_bytes())
        except (OSError, ValueError):
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
    data = task.files.read_source(source["sha256"], source["format"])
    out = retopologize(data, source["format"], int(request["face_limit"]), bool(request["quad"]),
                       bool(request["bake"]), report)  # fmt: skip
    result = store_output(task, out.model)
    task.store.progress_writer().record_retopo(task.job_id, out.figures)
    return result


def warm_up() -> None:
    """Pool initializer: yield the CPU to the HTTP process (mesh building is batch work, polls and payments are
    interactive), and import the engine once per process so the first job is as fast as the rest. (SIGTERM is
    ignored here: `app.jobs.engine_signals`.)"""
    with contextlib.suppress(OSError):
        os.nice(ENGINE_NICENESS)
    import app.engines.local.photo
    import app.engines.local.text  # noqa: F401
