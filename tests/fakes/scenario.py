"""Fake Scenario (HTTP Basic `api_key:api_secret`): `POST /v1/generate/custom/{modelId}` → `{job: {jobId, status}}`;
`GET /v1/jobs/{id}` → `{job: {jobId, status (queued|in-progress|success|failure), progress (0–1),
metadata: {assetIds}}}`; `GET /v1/assets/{id}` → `{asset: {id, url, mimeType}}`."""

from __future__ import annotations

import base64

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.common import LEAKY_REASON, FakeServer, FakeState, Task, serve

STATUSES = {"queued": "queued", "running": "in-progress", "done": "success", "failed": "failure"}


def build(valid_keys: set[str]) -> FakeServer:
    state = FakeState(valid_keys)

    def auth(request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        state.seen_auth.append(header)
        key = None
        if header.startswith("Basic "):
            try:
                key = base64.b64decode(header[6:]).decode()
            except ValueError:
                key = None
        status = state.auth_error(key)
        if status:
            return JSONResponse({"message": "Unauthorized" if status == 401 else f"refused ({status})"}, status)
        return None

    async def create(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        body = await request.json()
        if not body.get("prompt"):
            return JSONResponse({"message": "prompt is required"}, 400)
        task = state.create(body["prompt"], {**body, "model": request.path_params["model_id"]})
        return JSONResponse({"job": {"jobId": task.id, "status": "queued", "progress": 0}})

    async def job(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        task = state.tasks.get(request.path_params["job_id"])
        if task is None:
            return JSONResponse({"message": "job not found"}, 404)
        return state.poll(task, STATUSES, lambda ours, progress: view(task, ours, progress))

    def view(task: Task, ours: str, progress: int) -> Response:
        body = {"jobId": task.id, "status": ours, "progress": progress / 100, "metadata": {"assetIds": []}}
        if ours == "success":
            body["metadata"] = {"assetIds": [f"asset_{task.id}"]}
        if ours == "failure":
            body["error"] = LEAKY_REASON
        return JSONResponse({"job": body})

    async def asset(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        task = state.tasks.get(request.path_params["asset_id"].removeprefix("asset_"))
        if task is None:
            return JSONResponse({"message": "asset not found"}, 404)
        return JSONResponse({"asset": {"id": f"asset_{task.id}", "url": state.model_url(task),
                                       "mimeType": "model/gltf-binary"}})  # fmt: skip

    return serve(state, [
        Route("/v1/generate/custom/{model_id}", create, methods=["POST"]),
        Route("/v1/jobs/{job_id}", job, methods=["GET"]),
        Route("/v1/assets/{asset_id}", asset, methods=["GET"]),
    ])  # fmt: skip
