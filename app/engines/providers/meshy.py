"""Meshy (`api.meshy.ai`): `POST /openapi/v2/text-to-3d {mode: preview, prompt}` → `{result: <task id>}`;
`GET /openapi/v2/text-to-3d/{id}` → `status` (PENDING, IN_PROGRESS, SUCCEEDED; FAILED, CANCELED), `progress`
(0–100), `model_urls.glb` (signed, expiring), `task_error.message`. Errors are `{message}` with the HTTP status."""

from __future__ import annotations

from typing import Any

from app.engines.base import JobSpec, ProviderError, TaskState
from app.engines.providers.base import HttpProvider, percent

TEXT = "/openapi/v2/text-to-3d"
STATES = {"PENDING": "queued", "IN_PROGRESS": "running", "SUCCEEDED": "done"}
FAILED = {"FAILED", "CANCELED", "EXPIRED"}
POLYCOUNTS = {"draft": 10_000, "standard": 30_000, "high": 100_000}


class Meshy(HttpProvider):
    id = "meshy"
    label = "Meshy"

    async def submit(self, spec: JobSpec) -> str:
        if spec.mode != "text_to_3d" or not spec.prompt:
            raise ProviderError(self.id, "rejected", f"Meshy cannot build {spec.mode} jobs through this server")
        body: dict[str, Any] = {
            "mode": "preview",
            "prompt": spec.prompt[:600],  # Meshy's prompt limit
            "target_polycount": POLYCOUNTS[spec.tier],
        }
        if spec.seed is not None:
            body["seed"] = spec.seed
        task_id = self.field(await self.call("POST", TEXT, body), "result")
        if not isinstance(task_id, str) or not task_id:
            raise self.garbled("answer (no result)")
        return task_id

    async def poll(self, task_id: str) -> TaskState:
        body = await self.call("GET", f"{TEXT}/{task_id}")
        status = self.field(body, "status")
        progress = percent(body.get("progress"))
        if status in FAILED:
            error = body.get("task_error") if isinstance(body.get("task_error"), dict) else {}
            reason = self.clean(error.get("message")) or f"the task was {str(status).lower()}"
            return TaskState("failed", progress, error=f"Meshy could not build the model: {reason}")
        if status not in STATES:
            raise self.garbled(f"status {self.clean(status)!r}")
        urls = body.get("model_urls") if isinstance(body.get("model_urls"), dict) else {}
        ours = STATES[status]
        return TaskState(ours, 100 if ours == "done" else progress, "finish" if ours == "done" else "mesh",
                         urls.get("glb"), extra={"task_id": task_id})  # fmt: skip
