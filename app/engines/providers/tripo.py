"""Tripo (`api.tripo3d.ai/v2/openapi`): `POST /task {type: text_to_model, prompt}` → `data.task_id`;
`GET /task/{id}` → `data.status` (queued, running, success; failed, banned, expired, cancelled, unknown),
`data.progress` (0–100), `data.output.pbr_model` / `data.output.model` (signed, expiring URLs).
Every answer is `{code, data}` with `code == 0` on success, else `{code, message, suggestion}`."""

from __future__ import annotations

from typing import Any

from app.engines.base import JobSpec, ProviderError, TaskState
from app.engines.providers.base import HttpProvider, percent

STATES = {"queued": "queued", "running": "running", "success": "done"}
FAILED = {"failed", "banned", "expired", "cancelled", "unknown"}
FACE_LIMITS = {"draft": 12_000, "standard": 30_000, "high": 200_000}


class Tripo(HttpProvider):
    id = "tripo"
    label = "Tripo"

    def _data(self, body: Any) -> dict[str, Any]:
        code = body.get("code") if isinstance(body, dict) else None
        if code != 0:
            message = body.get("message") if isinstance(body, dict) else None
            if code is None:
                raise self.garbled("answer (no code)")
            raise ProviderError(self.id, "rejected", f"Tripo refused the task (code {code}): {self.clean(message)}")
        data = self.field(body, "data")
        if not isinstance(data, dict):
            raise self.garbled("answer (data is not an object)")
        return data

    async def submit(self, spec: JobSpec) -> str:
        if spec.mode != "text_to_3d" or not spec.prompt:
            raise ProviderError(self.id, "rejected", f"Tripo cannot build {spec.mode} jobs through this server")
        body: dict[str, Any] = {"type": "text_to_model", "prompt": spec.prompt, "face_limit": FACE_LIMITS[spec.tier]}
        if spec.seed is not None:
            body["model_seed"] = spec.seed
        task_id = self._data(await self.call("POST", "/task", body)).get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise self.garbled("answer (no task_id)")
        return task_id

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
        ours = STATES[status]
        return TaskState(ours, 100 if ours == "done" else progress, "finish" if ours == "done" else "mesh", url,
                         extra={"task_id": task_id})  # fmt: skip
