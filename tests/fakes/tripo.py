"""Fake Tripo (`/v2/openapi`): `POST /task` → `{code: 0, data: {task_id}}`; `GET /task/{id}` →
`{code: 0, data: {task_id, type, status, progress, output: {pbr_model}}}`; errors `{code, message, suggestion}`.
Retopology: `POST /task {type: highpoly_to_lowpoly, original_model_task_id, face_limit (500–20,000), quad, bake}` on
a task this fake made (`output.model` once done)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.common import (
    LEAKY_REASON,
    RETOPO_FAIL_FACES,
    FakeServer,
    FakeState,
    Task,
    serve,
)

PREFIX = "/v2/openapi"
ERRORS = {401: 1002, 402: 2010, 429: 2000}
STATUSES = {"queued": "queued", "running": "running", "done": "success", "failed": "failed"}


def build(valid_keys: set[str]) -> FakeServer:
    state = FakeState(valid_keys)

    def auth(request: Request) -> Response | None:
        if status := state.bearer_refusal(request):
            return JSONResponse({"code": ERRORS[status], "message": "Authentication failed", "suggestion": "check"},
                                status)  # fmt: skip
        return None

    async def create(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        body = await request.json()
        if body.get("type") == "highpoly_to_lowpoly":
            return lowpoly(body)
        if body.get("type") != "text_to_model" or not body.get("prompt"):
            return JSONResponse({"code": 2002, "message": "unsupported task type"}, 400)
        task = state.create(body["prompt"], body)
        return JSONResponse({"code": 0, "data": {"task_id": task.id}})

    def lowpoly(body: dict) -> Response:
        source = state.tasks.get(str(body.get("original_model_task_id")))
        if source is None:
            return JSONResponse({"code": 2003, "message": "original_model_task_id not found"}, 404)
        face_limit = body.get("face_limit")
        if not isinstance(face_limit, int) or not 500 <= face_limit <= 20_000:
            return JSONResponse({"code": 2002, "message": "face_limit must be 500-20000"}, 400)
        task = state.create(f"lowpoly of {source.prompt}", body, fail=face_limit == RETOPO_FAIL_FACES)
        return JSONResponse({"code": 0, "data": {"task_id": task.id}})

    async def get(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        task = state.tasks.get(request.path_params["task_id"])
        if task is None:
            return JSONResponse({"code": 2003, "message": "task not found"}, 404)
        return state.poll(task, STATUSES, lambda ours, progress: view(task, ours, progress))

    def view(task: Task, ours: str, progress: int) -> Response:
        data = {"task_id": task.id, "type": task.body.get("type"), "status": ours, "progress": progress,
                "input": {"prompt": task.prompt}, "output": {}, "create_time": 1_700_000_000}  # fmt: skip
        if ours == "success" and task.body.get("type") == "highpoly_to_lowpoly":
            data["output"] = {"model": state.model_url(task)}
        elif ours == "success":
            data["output"] = {"pbr_model": state.model_url(task), "rendered_image": state.base_url + "/img.webp"}
        if ours == "failed":
            data["error_msg"] = LEAKY_REASON
        return JSONResponse({"code": 0, "data": data})

    return serve(state, [
        Route(f"{PREFIX}/task", create, methods=["POST"]),
        Route(f"{PREFIX}/task/{{task_id}}", get, methods=["GET"]),
    ], PREFIX)  # fmt: skip
