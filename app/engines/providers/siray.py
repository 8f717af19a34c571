"""Siray (`api.siray.ai`): `POST /v1/3d/generations {model, prompt}` → `data.task_id`;
`GET /v1/3d/generations/{id}` → `data.status` (NOT_START, SUBMITTED, QUEUED, IN_PROGRESS, SUCCESS, FAILURE),
`data.progress` ("45%"), `data.outputs[]` (URLs), `data.fail_reason`. Answers are `{code, message, data}`."""

from __future__ import annotations

from typing import Any

from app.engines.base import JobSpec, ProviderError, TaskState
from app.engines.providers.base import HttpProvider, percent

PATH = "/v1/3d/generations"
STATES = {
    "NOT_START": "queued",
    "SUBMITTED": "queued",
    "QUEUED": "queued",
    "IN_PROGRESS": "running",
    "SUCCESS": "done",
}


class Siray(HttpProvider):
    id = "siray"
    label = "Siray"

    def _data(self, body: Any) -> dict[str, Any]:
        if isinstance(body, dict) and body.get("code") not in (None, "success", 0, 200):
            raise ProviderError(self.id, "rejected", f"Siray refused the task: {self.clean(body.get('message'))}")
        data = self.field(body, "data")
        if not isinstance(data, dict):
            raise self.garbled("answer (data is not an object)")
        return data

    async def submit(self, spec: JobSpec) -> str:
        if spec.mode != "text_to_3d" or not spec.prompt:
            raise ProviderError(self.id, "rejected", f"Siray cannot build {spec.mode} jobs through this server")
        body: dict[str, Any] = {"model": self.settings.model, "prompt": spec.prompt}
        if spec.seed is not None:
            body["seed"] = spec.seed
        task_id = self._data(await self.call("POST", PATH, body)).get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise self.garbled("answer (no task_id)")
        return task_id

    async def poll(self, task_id: str) -> TaskState:
        data = self._data(await self.call("GET", f"{PATH}/{task_id}"))
        status = data.get("status")
        progress = percent(data.get("progress"))
        if status == "FAILURE":
            reason = self.clean(data.get("fail_reason")) or "no reason given"
            return TaskState("failed", progress, error=f"Siray could not build the model: {reason}")
        if status not in STATES:
            raise self.garbled(f"status {self.clean(status)!r}")
        outputs = [u for u in data.get("outputs") or [] if isinstance(u, str)]
        glb = next((u for u in outputs if u.split("?", 1)[0].lower().endswith(".glb")), outputs[0] if outputs else None)
        ours = STATES[status]
        return TaskState(ours, 100 if ours == "done" else progress, "finish" if ours == "done" else "mesh", glb,
                         extra={"task_id": task_id})  # fmt: skip
