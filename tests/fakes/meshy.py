"""Fake Meshy: `POST /openapi/v2/text-to-3d` → `{result}`; `GET /openapi/v2/text-to-3d/{id}` →
`{id, status (PENDING|IN_PROGRESS|SUCCEEDED|FAILED), progress, model_urls: {glb}, task_error: {message}}`."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.common import LEAKY_REASON, FakeServer, FakeState, garbage, serve_model, server_error

PATH = "/openapi/v2/text-to-3d"
MESSAGES = {401: "Invalid API key", 402: "Insufficient credits", 429: "Too many requests"}


def build(valid_keys: set[str]) -> FakeServer:
    state = FakeState(valid_keys)

    def auth(request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        state.seen_auth.append(header)
        status = state.auth_error(header.removeprefix("Bearer ") if header.startswith("Bearer ") else None)
        if status:
            headers = {"Retry-After": "1"} if status == 429 else None
            return JSONResponse({"message": MESSAGES[status]}, status, headers=headers)
        return None

    async def create(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        body = await request.json()
        if body.get("mode") != "preview" or not body.get("prompt"):
            return JSONResponse({"message": "mode must be preview or refine"}, 400)
        return JSONResponse({"result": state.create(body["prompt"], body).id}, 202)

    async def get(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        task = state.tasks.get(request.path_params["task_id"])
        if task is None:
            return JSONResponse({"message": "Task not found"}, 404)
        status, progress = state.advance(task)
        if status == "garbage":
            return garbage()
        if status == "error":
            return server_error()
        ours = {"queued": "PENDING", "running": "IN_PROGRESS", "done": "SUCCEEDED", "failed": "FAILED"}[status]
        body = {"id": task.id, "mode": "preview", "status": ours, "progress": progress, "model_urls": {},
                "task_error": {"message": ""}, "prompt": task.prompt}  # fmt: skip
        if ours == "SUCCEEDED":
            body["model_urls"] = {"glb": state.model_url(task), "fbx": state.base_url + "/x.fbx"}
        if ours == "FAILED":
            body["task_error"] = {"message": LEAKY_REASON}
        return JSONResponse(body)

    app = Starlette(routes=[
        Route(PATH, create, methods=["POST"]),
        Route(f"{PATH}/{{task_id}}", get, methods=["GET"]),
        serve_model(state),
    ])  # fmt: skip
    server = FakeServer(app, state)
    server.api_url = server.url  # type: ignore[attr-defined]
    return server
