"""Siray (`api.siray.ai`): `POST /v1/3d/generations {model, prompt}` → `data.task_id`;
`GET /v1/3d/generations/{id}` → `data.status` (NOT_START, SUBMITTED, QUEUED, IN_PROGRESS, SUCCESS, FAILURE),
`data.progress` ("45%"), `data.outputs[]` (URLs), `data.fail_reason`. Answers are `{code, message, data}`."""

from __future__ import annotations

from typing import Any

from app.engines.base import JobSpec, ProviderError, TaskState, TaskStatus
from app.engines.providers.base import HttpProvider, percent, progressed

PATH = "/v1/3d/generations"
STATES: dict[str, TaskStatus] = {
    "NOT_START": "queued",
    "SUBMITTED": "queued",
    "QUEUED": "queued",
    "IN_PROGRESS": "running",
    "SUCCESS": "done",
}


class Siray(HttpProvider):
    id = "siray"
    label = "Siray"
    vendor = "Siray"
    description = "Siray 3D generation"

    def _data(self, body: Any) -> dict[str, Any]:
        if isinstance(body, dict) and body.get("code") not in (None, "success", 0, 200):
            raise ProviderError(self.id, "rejected", f"Siray refused the task: {self.clean(body.get('message'))}")
        return self.object_field(body, "data")

    async def submit(self, spec: JobSpec) -> str:
        body: dict[str, Any] = {"model": self.settings.model, "prompt": self.text_prompt(spec)}
        if spec.seed is not None:
            body["seed"] = spec.seed
        return self.task_id(self._data(await self.call("POST", PATH, body)).get("task_id"), "task_id")

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
        return progressed(STATES[status], progress, glb, task_id)
