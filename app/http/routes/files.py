"""`GET /files/<job>/<name>`: generated files behind signed, expiring links."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from app.http.context import services
from app.services.files import open_job_file


async def download(request: Request) -> Response:
    params = request.query_params
    found = open_job_file(
        services(request), request.url.path, request.path_params["job_id"], request.path_params["name"],
        params.get("expires"), params.get("sig"),
    )  # fmt: skip
    return FileResponse(
        found.path,
        media_type=found.media_type,
        filename=found.filename,
        content_disposition_type="inline",
        headers={"Cache-Control": "private, max-age=300"},
    )
