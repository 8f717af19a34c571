"""`GET /files/<job>/<name>`: generated files behind signed, expiring links."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from app.http.context import services
from app.http.contract import NOT_FOUND, Answer, Operation, Param, documented, refusal
from app.services.files import open_job_file
from app.store.files import SERVABLE


@documented(
    Operation(
        "Download a job's model or thumbnail through its signed, expiring link (from the job's view)",
        "files",
        params=(
            Param("expires", "query", "Unix time the link expires (part of the signed link).", required=True),
            Param("sig", "query", "The link's signature (part of the signed link).", required=True),
        ),
        answers={
            200: Answer("The file.", media=tuple(sorted(set(SERVABLE.values())))),
            403: refusal("`link_invalid`: the link's signature does not match, or it is malformed."),
            404: NOT_FOUND,
        },
        head=True,
    )
)
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
