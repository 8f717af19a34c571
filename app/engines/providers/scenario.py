"""Scenario (`api.cloud.scenario.com`, HTTP Basic auth with `api_key:api_secret`):
`POST /v1/generate/custom/{modelId} {prompt}` → `job.jobId`; `GET /v1/jobs/{id}` → `job.status` (queued,
in-progress, success; failure, canceled), `job.progress` (0–1), `job.metadata.assetIds`; then
`GET /v1/assets/{assetId}` → `asset.url` (temporary). The BYO key is sent as `api_key:api_secret`."""

from __future__ import annotations

import base64
from typing import Any

from app.engines.base import JobSpec, TaskState, TaskStatus
from app.engines.providers.base import HttpProvider, percent

STATES: dict[str, TaskStatus] = {"queued": "queued", "pending": "queued", "in-progress": "running",
                                  "processing": "running", "success": "done"}  # fmt: skip
FAILED = {"failure", "failed", "canceled", "cancelled"}


class Scenario(HttpProvider):
    id = "scenario"
    label = "Scenario"
    vendor = "Scenario"
    description = "Scenario custom 3D model"

    def _basic(self) -> str:
        key = self.settings.key if ":" in self.settings.key else f"{self.settings.key}:"
        return base64.b64encode(key.encode()).decode()

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Basic {self._basic()}"}

    def secrets(self) -> tuple[str, ...]:
        return (self.settings.key, *self.settings.key.split(":"), self._basic())

    def _job(self, body: Any) -> dict[str, Any]:
        return self.object_field(body, "job")

    async def submit(self, spec: JobSpec) -> str:
        body: dict[str, Any] = {"prompt": self.text_prompt(spec)}
        if spec.seed is not None:
            body["seed"] = spec.seed
        job = self._job(await self.call("POST", f"/v1/generate/custom/{self.settings.model}", body))
        return self.task_id(job.get("jobId"), "job.jobId")

    async def poll(self, task_id: str) -> TaskState:
        job = self._job(await self.call("GET", f"/v1/jobs/{task_id}"))
        status = str(job.get("status", "")).lower()
        progress = percent(job.get("progress"), 100)
        if status in FAILED:
            reason = self.clean(job.get("error") or job.get("statusMessage")) or f"the job ended as {status}"
            return TaskState("failed", progress, error=f"Scenario could not build the model: {reason}")
        if status not in STATES:
            raise self.garbled(f"status {self.clean(status)!r}")
        if STATES[status] != "done":
            return TaskState(STATES[status], progress, "mesh")
        metadata = job.get("metadata") if isinstance(job.get("metadata"), dict) else {}
        assets = [a for a in metadata.get("assetIds") or [] if isinstance(a, str)]
        if not assets:
            raise self.garbled("answer (a finished job without assetIds)")
        asset = self.field(await self.call("GET", f"/v1/assets/{assets[0]}"), "asset")
        url = asset.get("url") if isinstance(asset, dict) else None
        return TaskState("done", 100, "finish", url, extra={"task_id": task_id})
