"""`GET /files/<job>/<name>`: generated files behind signed, expiring links, from the store."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.http.context import services
from app.http.responses import blob_response
from app.services.files import open_job_file


async def download(request: Request) -> Response:
    params = request.query_params
    found = await open_job_file(
        services(request), request.url.path, request.path_params["job_id"], request.path_params["name"],
        params.get("expires"), params.get("sig"), body=request.method != "HEAD",
    )  # fmt: skip
    return blob_response(
        found.info, found.blob, found.media_type, {"Cache-Control": "private, max-age=300"}, found.filename
    )
