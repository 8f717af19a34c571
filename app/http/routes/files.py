"""`GET /files/<job>/<name>`: generated files behind signed, expiring links, from the store."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.http.context import services
from app.http.contract import NOT_FOUND, STORAGE_UNAVAILABLE, Answer, Operation, Param, documented, refusal
from app.http.responses import blob_response
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
            503: STORAGE_UNAVAILABLE,
        },
        head=True,
    )
)
async def download(request: Request) -> Response:
    params = request.query_params
    found = await open_job_file(
        services(request), request.url.path, request.path_params["job_id"], request.path_params["name"],
        params.get("expires"), params.get("sig"), body=request.method != "HEAD",
    )  # fmt: skip
    return blob_response(
        found.info, found.blob, found.media_type, {"Cache-Control": "private, max-age=300"}, found.filename
    )
