"""Tripo (`api.tripo3d.ai/v2/openapi`): `POST /task {type: text_to_model, prompt}` → `data.task_id`;
`GET /task/{id}` → `data.status` (queued, running, success; failed, banned, expired, cancelled, unknown),
`data.progress` (0–100), `data.output.pbr_model` / `data.output.model` (signed, expiring URLs).
Retopology: `POST /task {type: highpoly_to_lowpoly, original_model_task_id, face_limit (500–20,000), quad, bake}`
works on a model Tripo itself built (a task of the same account): Tripo takes no uploaded model for it, and a
quad mesh comes only as FBX, so this server asks for triangles.
Every answer is `{code, data}` with `code == 0` on success, else `{code, message, suggestion}`."""

from __future__ import annotations

from typing import Any

from app.engines.base import JobSpec, ProviderError, TaskState, TaskStatus
from app.engines.providers.base import HttpProvider, RetopoSpec, percent, progressed

STATES: dict[str, TaskStatus] = {"queued": "queued", "running": "running", "success": "done"}
FAILED = {"failed", "banned", "expired", "cancelled", "unknown"}
FACE_LIMITS = {"draft": 12_000, "standard": 30_000, "high": 200_000}


class Tripo(HttpProvider):
    id = "tripo"
    label = "Tripo"
    vendor = "Tripo (VAST)"
    description = "Tripo text-to-model; retopology of Tripo-built models"
    eta_seconds = 60
    retopo_faces = (500, 20_000)

    @classmethod
    def retopo_refusal(cls, face_limit: int, quad: bool, bake: bool, source_task: str | None) -> str | None:
        if source_task is None:
            return (
                "Tripo retopologizes only models Tripo built: send job_id of a finished job made with backend "
                "'tripo' (and the same Tripo key), or use backend 'meshy' or 'local' for other sources"
            )
        if quad:
            return "Tripo delivers quad meshes only as FBX; use backend 'meshy' or 'local' for quad: true"
        return super().retopo_refusal(face_limit, quad, bake, source_task)

    def _data(self, body: Any) -> dict[str, Any]:
        code = body.get("code") if isinstance(body, dict) else None
        if code != 0:
            message = body.get("message") if isinstance(body, dict) else None
            if code is None:
                raise self.garbled("answer (no code)")
            raise ProviderError(self.id, "rejected", f"Tripo refused the task (code {code}): {self.clean(message)}")
        return self.object_field(body, "data")

    async def _create(self, body: dict[str, Any]) -> str:
        return self.task_id(self._data(await self.call("POST", "/task", body)).get("task_id"), "task_id")

    async def submit(self, spec: JobSpec) -> str:
        if isinstance(spec, RetopoSpec):
            if not spec.source_task or spec.face_limit is None:
                raise ProviderError(self.id, "rejected", "Tripo needs the source's Tripo task and a face limit")
            return await self._create({"type": "highpoly_to_lowpoly", "original_model_task_id": spec.source_task,
                                       "face_limit": spec.face_limit, "quad": False, "bake": spec.bake})  # fmt: skip
        prompt = self.text_prompt(spec)
        body: dict[str, Any] = {"type": "text_to_model", "prompt": prompt, "face_limit": FACE_LIMITS[spec.tier]}
        if spec.seed is not None:
            body["model_seed"] = spec.seed
        return await self._create(body)

    async def poll(self, task_id: str) -> TaskState:
        data = self._data(await self.call("GET", f"/task/{task_id}"))
        status = data.get("status")
        progress = percent(data.get("progress"))
        if status in FAILED:
            return TaskState("failed", progress, error=f"Tripo reported the task as {status}")
        if status not in STATES:
            raise self.garbled(f"status {self.clean(status)!r}")
        output = data.get("output") if isinstance(data.get("output"), dict) else {}
        url = output.get("pbr_model") or output.get("model") or output.get("base_model")
        return progressed(STATES[status], progress, url, task_id)
