"""Fake Meshy: `POST /openapi/v2/text-to-3d {mode: preview, prompt}` or `{mode: refine, preview_task_id}` →
`{result}`; `GET /openapi/v2/text-to-3d/{id}` → `{id, mode, status (PENDING|IN_PROGRESS|SUCCEEDED|FAILED), progress,
model_urls: {glb}, task_error: {message}}`. Remesh: `POST /openapi/v1/remesh {model_url, target_polycount,
topology, target_formats}` (the fake downloads `model_url`, as Meshy does; a source it cannot fetch fails the task),
polled at `GET /openapi/v1/remesh/{id}`. A preview whose prompt says `norefine` has a refine that fails."""

from __future__ import annotations

from typing import Any

import httpx
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

PATH = "/openapi/v2/text-to-3d"
REMESH = "/openapi/v1/remesh"
STATUSES = {"queued": "PENDING", "running": "IN_PROGRESS", "done": "SUCCEEDED", "failed": "FAILED"}
MESSAGES = {401: "Invalid API key", 402: "Insufficient credits", 429: "Too many requests"}
MODEL_MAGIC = (b"glTF", b"v ", b"# ", b"o ")  # a GLB, or an OBJ's first line


async def download(url: str) -> tuple[int, bytes]:
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.get(url)
        return answer.status_code, answer.content
    except httpx.HTTPError:
        return 0, b""


def build(valid_keys: set[str]) -> FakeServer:
    state = FakeState(valid_keys)

    def auth(request: Request) -> Response | None:
        if status := state.bearer_refusal(request):
            headers = {"Retry-After": "1"} if status == 429 else None
            return JSONResponse({"message": MESSAGES[status]}, status, headers=headers)
        return None

    def refine(body: dict[str, Any]) -> Response:
        preview = state.tasks.get(str(body.get("preview_task_id")))
        if preview is None or preview.body.get("mode") != "preview":
            return JSONResponse({"message": "preview_task_id must be a preview task"}, 400)
        task = state.create(preview.prompt, body, fail="norefine" in preview.prompt)
        return JSONResponse({"result": task.id}, 202)

    async def create(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        body = await request.json()
        if body.get("mode") == "refine":
            return refine(body)
        if body.get("mode") != "preview" or not body.get("prompt"):
            return JSONResponse({"message": "mode must be preview or refine"}, 400)
        return JSONResponse({"result": state.create(body["prompt"], body).id}, 202)

    async def remesh(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        body = await request.json()
        polycount = body.get("target_polycount")
        if not isinstance(polycount, int) or not 100 <= polycount <= 300_000 or body.get("topology") not in (
            "quad", "triangle"
        ) or not isinstance(body.get("model_url"), str):  # fmt: skip
            return JSONResponse({"message": "model_url, target_polycount 100-300000 and topology are required"}, 400)
        status, data = await download(body["model_url"])
        fetched = status == 200 and data.startswith(MODEL_MAGIC)
        task = state.create(f"remesh to {polycount}", {**body, "mode": "remesh", "fetched": status, "size": len(data)},
                            fail=polycount == RETOPO_FAIL_FACES or not fetched)  # fmt: skip
        return JSONResponse({"result": task.id}, 202)

    def view(task: Task, ours: str, progress: int) -> Response:
        body = {"id": task.id, "mode": task.body.get("mode"), "status": ours, "progress": progress, "model_urls": {},
                "task_error": {"message": ""}, "prompt": task.prompt}  # fmt: skip
        if ours == "SUCCEEDED":
            body["model_urls"] = {"glb": state.model_url(task), "fbx": state.base_url + "/x.fbx"}
        if ours == "FAILED":
            body["task_error"] = {"message": LEAKY_REASON}
        return JSONResponse(body)

    async def get(request: Request) -> Response:
        if (refused := auth(request)) is not None:
            return refused
        task = state.tasks.get(request.path_params["task_id"])
        kind = "remesh" if request.url.path.startswith(REMESH) else "text"
        if task is None or (task.body.get("mode") == "remesh") != (kind == "remesh"):
            return JSONResponse({"message": "Task not found"}, 404)
        return state.poll(task, STATUSES, lambda ours, progress: view(task, ours, progress))

    return serve(state, [
        Route(PATH, create, methods=["POST"]),
        Route(f"{PATH}/{{task_id}}", get, methods=["GET"]),
        Route(REMESH, remesh, methods=["POST"]),
        Route(f"{REMESH}/{{task_id}}", get, methods=["GET"]),
    ])  # fmt: skip
