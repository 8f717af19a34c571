"""What the submit routes share for backends and webhooks: the BYO provider key, starting a job on the backend it
names (a provider task is created while the client waits), webhook registration, and the extra fields of a job's
view (quad OBJ link, retopology figures, webhook deliveries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.requests import Request

from app.engines.base import ProviderError
from app.engines.providers.errors import api_error
from app.engines.providers.keys import KEY_HEADER, MAX_KEY_LENGTH
from app.engines.providers.registry import is_remote, operator_key, provider_label
from app.errors import ApiError, bad_request
from app.jobs import store
from app.schemas import JobView, RetopoResult, WebhookDelivery, WebhookView
from app.services import Services
from app.storage import QUAD_MODEL
from app.webhooks import check_webhook_url, of_job, register


def provider_key(request: Request) -> str | None:
    value = request.headers.get(KEY_HEADER)
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_KEY_LENGTH or not value.isprintable():
        raise bad_request(
            "invalid_provider_key", f"The {KEY_HEADER} header must be 1–{MAX_KEY_LENGTH} printable characters."
        )
    return value


def key_for(svc: Services, request: Request, backend: str) -> tuple[str | None, bool]:
    """(key, is_byo) for a job on `backend`; 501 needs_key when a provider backend has none."""
    if not is_remote(backend):
        return None, False
    byo = provider_key(request)
    key = byo or operator_key(svc.settings, backend)
    if key is None:
        label = provider_label(backend)
        raise ApiError(
            501,
            "needs_key",
            f"The '{backend}' backend runs on {label} with your own {label} API key: send it in the {KEY_HEADER} "
            "header (it is used for this job only and never stored), or pick another backend from "
            "GET /api/forge?catalog.",
            extra={"backend": backend},
        )
    return key, byo is not None


async def start_job(svc: Services, request: Request, job: store.NewJob) -> dict[str, Any]:
    """Queue a free-lane job; on a provider backend create the provider task first (its errors are ours)."""
    key, byo = key_for(svc, request, job.backend)
    if key is None:
        return await svc.jobs.submit(job)
    try:
        return await svc.runner.remote.submit_now(job, key, remember=byo)
    except ProviderError as exc:
        raise api_error(exc) from None


async def check_webhook(svc: Services, url: str | None) -> None:
    await check_webhook_url(url, svc.settings)


async def register_webhook(svc: Services, request: Request, job_id: str, url: str | None) -> None:
    if url is not None:
        await svc.db.run(register, job_id, url, svc.absolute(request, ""))


def iso(ts: float) -> str:
    """A unix time as the API writes it: UTC, milliseconds, 'Z'."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _retopo(conn: Any, job_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM retopo_results WHERE job_id = ?", (job_id,)).fetchone()
    return dict(row) if row else None


@dataclass(frozen=True, slots=True)
class Extras:
    """What a job's view shows beside its own row: its webhook (and deliveries) and a retopology result."""

    hook: dict[str, Any] | None
    deliveries: list[dict[str, Any]]
    retopo: dict[str, Any] | None


def load_extras(conn: Any, job_id: str, mode: str, status: str) -> Extras:
    hook, deliveries = of_job(conn, job_id)
    return Extras(hook, deliveries, _retopo(conn, job_id) if mode == "retopo" and status == "done" else None)


def job_and_extras(conn: Any, job_id: str) -> tuple[dict[str, Any] | None, Extras | None]:
    """The job's row and its extras in one trip to the database (a poll is the hottest path)."""
    row = store.get(conn, job_id)
    if row is None:
        return None, None
    return row, load_extras(conn, job_id, row["mode"], row["status"])


async def with_extras(svc: Services, request: Request, view: JobView, extras: Extras | None = None) -> JobView:
    if extras is None:
        extras = await svc.db.run(load_extras, view.job_id, view.mode, view.status)
    update: dict[str, Any] = {}
    hook, deliveries = extras.hook, extras.deliveries
    if hook is not None:
        update["webhook"] = WebhookView(
            url=hook["url"],
            state=hook["state"],
            deliveries=[
                WebhookDelivery(
                    event=d["event"], attempt=d["attempt"], at=iso(d["at"]), status_code=d["status_code"],
                    error=d["error"], duration_ms=d["duration_ms"],
                )
                for d in deliveries
            ],
        )  # fmt: skip
    if (found := extras.retopo) is not None:
        formats = found["formats"].split(",")
        update["retopo"] = RetopoResult(
            source_faces=found["source_faces"], faces=found["faces"], quads=found["quads"],
            triangles=found["triangles"], quad_ratio=found["quad_ratio"], watertight=bool(found["watertight"]),
            textured=bool(found["textured"]), formats=formats,
        )  # fmt: skip
        if "obj" in formats:
            update["obj_url"] = svc.file_url(request, view.job_id, QUAD_MODEL)
    return view.model_copy(update=update) if update else view


def request_for(base_url: str) -> Request:
    """A stand-in request for building a job's view outside any request (webhooks): links on `base_url`."""
    parts = httpx.URL(base_url or "http://localhost")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return Request({
        "type": "http", "method": "GET", "scheme": parts.scheme, "server": (parts.host, port), "path": "/",
        "root_path": "", "query_string": b"", "headers": [(b"host", parts.netloc)],
    })  # fmt: skip


def webhook_renderer(svc: Services) -> Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]:
    async def render(row: dict[str, Any], base_url: str) -> dict[str, Any]:
        from app.routes.forge import job_view  # the poll view, exactly

        request = request_for(base_url)
        view = await with_extras(svc, request, job_view(svc, request, row))
        return view.model_dump(mode="json", exclude={"webhook"})

    return render
