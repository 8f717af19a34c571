"""Meshy (`api.meshy.ai`): `POST /openapi/v2/text-to-3d {mode: preview, prompt}` → `{result: <task id>}`, then
(the `high` tier: PBR textures) `{mode: refine, preview_task_id, enable_pbr}`; `GET /openapi/v2/text-to-3d/{id}` →
`status` (PENDING, IN_PROGRESS, SUCCEEDED; FAILED, CANCELED), `progress` (0–100), `model_urls.glb` (signed,
expiring), `task_error.message`. Retopology: `POST /openapi/v1/remesh {model_url, target_polycount (100–300,000),
topology: quad|triangle, target_formats}`, polled at `GET /openapi/v1/remesh/{id}` (same fields). Errors are
`{message}` with the HTTP status.

The task id saved on a job names its stage: `<id>` (a one-stage preview), `preview:<id>` (a preview a refine
follows), `refine:<id>`, `remesh:<id>`; a restart resumes the stage it names."""

from __future__ import annotations

from typing import Any

from app.engines.base import JobSpec, ProviderError, TaskState, TaskStatus
from app.engines.providers.base import HttpProvider, RetopoSpec, percent, progressed

TEXT = "/openapi/v2/text-to-3d"
REMESH = "/openapi/v1/remesh"
STATES: dict[str, TaskStatus] = {"PENDING": "queued", "IN_PROGRESS": "running", "SUCCEEDED": "done"}
FAILED = {"FAILED", "CANCELED", "EXPIRED"}
POLYCOUNTS = {"draft": 10_000, "standard": 30_000, "high": 100_000}
REFINED_TIERS = {"high"}  # PBR: the preview is refined (textured) before delivery
PATHS = {"": TEXT, "preview": TEXT, "refine": TEXT, "remesh": REMESH}


def split_task(task_id: str) -> tuple[str, str]:
    """(stage, Meshy's task id) of a saved task id."""
    stage, sep, raw = task_id.partition(":")
    return (stage, raw) if sep and stage in PATHS else ("", task_id)


def stage_progress(stage: str, progress: int) -> int:
    """A two-stage build shows its preview as 0–50 % and its refine as 50–100 %."""
    if stage == "preview":
        return progress // 2
    if stage == "refine":
        return 50 + progress // 2
    return progress


class Meshy(HttpProvider):
    id = "meshy"
    label = "Meshy"
    vendor = "Meshy"
    description = "Meshy text-to-3D (refined with PBR textures at the high tier); remesh"
    eta_seconds = 90
    retopo_faces = (100, 300_000)

    @classmethod
    def retopo_refusal(cls, face_limit: int, quad: bool, bake: bool, source_task: str | None) -> str | None:
        if bake:
            return "Meshy's remesh does not bake the source's colours; use backend 'local' or 'tripo' for bake: true"
        return super().retopo_refusal(face_limit, quad, bake, source_task)

    async def _create(self, path: str, body: dict[str, Any]) -> str:
        return self.task_id(self.field(await self.call("POST", path, body), "result"), "result")

    async def submit(self, spec: JobSpec) -> str:
        if isinstance(spec, RetopoSpec):
            return await self._remesh(spec)
        body: dict[str, Any] = {
            "mode": "preview",
            "prompt": self.text_prompt(spec)[:600],  # Meshy's prompt limit
            "target_polycount": POLYCOUNTS[spec.tier],
        }
        if spec.seed is not None:
            body["seed"] = spec.seed
        task_id = await self._create(TEXT, body)
        return f"preview:{task_id}" if spec.tier in REFINED_TIERS else task_id

    async def _remesh(self, spec: RetopoSpec) -> str:
        if not spec.model_url or spec.face_limit is None:
            raise ProviderError(self.id, "rejected", "Meshy needs the source model's URL and a face limit")
        body = {
            "model_url": spec.model_url,
            "target_polycount": spec.face_limit,
            "topology": "quad" if spec.quad else "triangle",
            "target_formats": ["glb"],
        }
        return "remesh:" + await self._create(REMESH, body)

    async def next_task(self, task_id: str) -> str | None:
        stage, raw = split_task(task_id)
        if stage != "preview":
            return None
        body = {"mode": "refine", "preview_task_id": raw, "enable_pbr": True}
        return "refine:" + await self._create(TEXT, body)

    async def poll(self, task_id: str) -> TaskState:
        stage, raw = split_task(task_id)
        body = await self.call("GET", f"{PATHS[stage]}/{raw}")
        status = self.field(body, "status")
        progress = stage_progress(stage, percent(body.get("progress")))
        if status in FAILED:
            error = body.get("task_error") if isinstance(body.get("task_error"), dict) else {}
            reason = self.clean(error.get("message")) or f"the task was {str(status).lower()}"
            return TaskState("failed", progress, error=f"Meshy could not build the model: {reason}")
        if status not in STATES:
            raise self.garbled(f"status {self.clean(status)!r}")
        urls = body.get("model_urls") if isinstance(body.get("model_urls"), dict) else {}
        ours = STATES[status]
        if ours == "done" and stage == "preview":  # the refine stage follows
            return TaskState("done", 50, "mesh", urls.get("glb"), extra={"task_id": task_id})
        return progressed(ours, progress, urls.get("glb"), task_id)
