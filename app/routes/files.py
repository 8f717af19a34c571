"""`GET /files/<job>/<name>`: generated files behind signed, expiring links."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from app.errors import ApiError, not_found
from app.services import services
from app.storage import SERVABLE


async def download(request: Request) -> Response:
    svc = services(request)
    job_id, name = request.path_params["job_id"], request.path_params["name"]
    if name not in SERVABLE:
        raise not_found("file_not_found", "There is no such file.")
    problem = svc.signer.check(request.url.path, request.query_params.get("expires"), request.query_params.get("sig"))
    if problem is not None:
        raise ApiError(
            403 if "expired" not in problem else 404, "link_invalid", f"This file link is not valid: {problem}."
        )
    try:
        path = svc.files.path(job_id, name)
    except ValueError:
        raise not_found("file_not_found", "There is no such file.") from None
    if not path.is_file():
        raise not_found("file_not_found", "The file is gone; generate the model again.")
    filename = f"{job_id}.{name.rsplit('.', 1)[-1]}"
    return FileResponse(
        path,
        media_type=SERVABLE[name],
        filename=filename,
        content_disposition_type="inline",
        headers={"Cache-Control": "private, max-age=300"},
    )
