"""Shared machinery of the fake provider servers: a Starlette app on a loopback port (uvicorn in a thread), task
bookkeeping, and behaviours chosen by the prompt or the key so one fake covers every failure mode:

- key `bad-key` → 401, `no-credits` → 402, `busy` → 429 on every call;
- prompt containing `slow` → 6 polls before success; `fail` → the task fails (with a reason that embeds a
  secret-looking token, which must be sanitized away); `expired` → the first download of the result answers 403
  (its signed URL "expired"), a fresh poll gives a new URL; `garbage` → the first three polls answer a non-JSON body;
  `badglb` → the result is not a GLB; `flaky` → the first two polls answer 500 (retried within the call);
- retopology (Tripo `highpoly_to_lowpoly`, Meshy remesh): `face_limit` RETOPO_FAIL_FACES → the task fails; its
  result is always LOWPOLY_FACES triangles (a generation's has 5,120), so a smaller face limit fails our validation.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from tests.live import ThreadedServer

LEAKY_REASON = "model refused by moderation; trace token sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0 \x07 end"
SLOW_POLLS = 6
RETOPO_FAIL_FACES = 777
LOWPOLY_FACES = 320


def is_retopo(body: dict[str, Any]) -> bool:
    return body.get("type") == "highpoly_to_lowpoly" or body.get("mode") == "remesh"


@cache
def sample_glb(subdivisions: int = 4) -> bytes:
    """An icosphere: 5,120 triangles (a generation), or LOWPOLY_FACES with subdivisions=2 (a retopology)."""
    import trimesh

    from app.engines.local.gltf import PbrMaterial, Primitive, write_glb

    sphere = trimesh.creation.icosphere(subdivisions=subdivisions)
    grey = PbrMaterial("sample", (0.8, 0.8, 0.8, 1.0), roughness=0.8)
    vertices, normals, faces = (np.asarray(a) for a in (sphere.vertices, sphere.vertex_normals, sphere.faces))
    primitive = Primitive(vertices, normals, faces, grey)
    return write_glb([primitive], name="sample", generator="forge402 test fake")


@dataclass
class Task:
    id: str
    prompt: str
    polls: int = 0
    downloads: int = 0
    body: dict[str, Any] = field(default_factory=dict)
    fail: bool = False  # fails whatever its prompt says (a refine or retopology failure mode)


@dataclass
class FakeState:
    valid_keys: set[str]
    tasks: dict[str, Task] = field(default_factory=dict)
    creates: int = 0
    seen_auth: list[str] = field(default_factory=list)
    base_url: str = ""

    def bearer_refusal(self, request: Request) -> int | None:
        """Record the Authorization header; the HTTP status its Bearer key earns, or None when it is good."""
        header = request.headers.get("authorization", "")
        self.seen_auth.append(header)
        return self.auth_error(header.removeprefix("Bearer ") if header.startswith("Bearer ") else None)

    def auth_error(self, key: str | None) -> int | None:
        """HTTP status for a key, or None when it is good."""
        if key == "busy":
            return 429
        if key == "no-credits":
            return 402
        if key not in self.valid_keys:
            return 401
        return None

    def create(self, prompt: str, body: dict[str, Any], fail: bool = False) -> Task:
        self.creates += 1
        task = Task("task_" + secrets.token_hex(8), prompt, body=body, fail=fail)
        self.tasks[task.id] = task
        return task

    def advance(self, task: Task) -> tuple[str, int]:
        """('queued'|'running'|'done'|'failed'|'garbage'|'error', progress) for this poll."""
        task.polls += 1
        if "garbage" in task.prompt and task.polls <= 3:  # outlasts one call's retries: the job retries once
            return "garbage", 0
        if "flaky" in task.prompt and task.polls <= 2:
            return "error", 0
        needed = SLOW_POLLS if "slow" in task.prompt else 2
        if task.polls == 1:
            return "queued", 0
        if task.polls < needed:
            return "running", round(100 * task.polls / needed)
        return ("failed", 100) if "fail" in task.prompt or task.fail else ("done", 100)

    def poll(self, task: Task, names: dict[str, str], render: Callable[[str, int], Response]) -> Response:
        """One poll of `task`: the scripted misbehaviour, or `render(the provider's status name, progress)`."""
        status, progress = self.advance(task)
        if status == "garbage":
            return garbage()
        if status == "error":
            return server_error()
        return render(names[status], progress)

    def model_url(self, task: Task) -> str:
        return f"{self.base_url}/cdn/{task.id}/{task.polls}.glb?sig=abc"


def serve_model(state: FakeState):
    async def download(request: Request) -> Response:
        task = state.tasks.get(request.path_params["task_id"])
        if task is None:
            return PlainTextResponse("no such object", 404)
        task.downloads += 1
        if "expired" in task.prompt and task.downloads == 1:
            return PlainTextResponse("<Error>Request has expired</Error>", 403)
        if "badglb" in task.prompt:
            return Response(b"this is not a model at all", media_type="model/gltf-binary")
        return Response(sample_glb(2 if is_retopo(task.body) else 4), media_type="model/gltf-binary")

    return Route("/cdn/{task_id}/{n}.glb", download)


def garbage() -> Response:
    return PlainTextResponse("<html><body>502 Bad Gateway (nginx)</body></html>", 200)


def server_error() -> Response:
    return JSONResponse({"message": "internal error"}, 500)


def serve(state: FakeState, routes: Sequence[BaseRoute], api_prefix: str = "") -> FakeServer:
    """A fake provider answering `routes` and serving its models, its API under `api_prefix`."""
    server = FakeServer(Starlette(routes=[*routes, serve_model(state)]), state)
    server.api_url = server.url + api_prefix
    return server


class FakeServer(ThreadedServer):
    """A fake provider's app on 127.0.0.1:<free port> in a daemon thread."""

    def __init__(self, app: Starlette, state: FakeState) -> None:
        super().__init__(app, "fake provider")
        self.api_url = self.url  # where the adapter's base_url points
        self.state = state
        state.base_url = self.url
