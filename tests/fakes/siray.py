"""Fake Siray: `POST /v1/3d/generations` → `{code: "success", data: {task_id}}`; `GET /v1/3d/generations/{id}` →
`{code, message, data: {task_id, status (NOT_START…SUCCESS|FAILURE), progress: "45%", outputs[], fail_reason}}`."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.common import LEAKY_REASON, FakeServer, FakeState, Task, serve

PATH = "/v1/3d/generations"
STATUSES = {"queued": "QUEUED", "running": "IN_PROGRESS", "done": "SUCCESS", "failed": "FAILURE"}


def build(valid_keys: set[str]) -> FakeServer:
    state = FakeState(valid_keys)

    def auth(request: Request) -> Response | None:
        if status := state.bearer_refusal(request):
            return JSONResponse({"code": "error", "message": f"request refused ({status})", "data": None}, status)
        return None

    async def create(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        body = await request.json()
        if not body.get("model") or not body.get("prompt"):
            return JSONResponse({"code": "invalid_request", "message": "model and prompt are required"}, 400)
        task = state.create(body["prompt"], body)
        return JSONResponse({"code": "success", "message": "", "data": {"task_id": task.id}})

    async def get(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        task = state.tasks.get(request.path_params["task_id"])
        if task is None:
            return JSONResponse({"code": "not_found", "message": "task not found"}, 404)
        return state.poll(task, STATUSES, lambda ours, progress: view(task, ours, progress))

    def view(task: Task, ours: str, progress: int) -> Response:
        now = int(time.time())
        data = {"task_id": task.id, "status": ours, "progress": f"{progress}%", "outputs": [],
                "submit_time": now, "start_time": now, "finish_time": 0, "fail_reason": ""}  # fmt: skip
        if ours == "SUCCESS":
            data["outputs"] = [state.base_url + "/preview.png", state.model_url(task)]
        if ours == "FAILURE":
            data["fail_reason"] = LEAKY_REASON
        return JSONResponse({"code": "success", "message": "", "data": data})

    return serve(state, [Route(PATH, create, methods=["POST"]), Route(f"{PATH}/{{task_id}}", get, methods=["GET"])])
