"""The studio: `GET /` (the page) and `GET /studio/<file>` (its script bundle, stylesheet and icon), each with the
studio's security headers (`app.studio.headers`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from app.http.context import services
from app.http.contract import NOT_FOUND, Answer, Operation, documented
from app.studio import site
from app.studio.headers import security_headers

ASSET_MEDIA = tuple(sorted({media.split(";")[0] for media in site.MEDIA_TYPES.values()}))


@documented(
    Operation(
        "The studio: a page to generate, pay for and look at models in a browser",
        "studio",
        answers={200: Answer("The page.", media=("text/html",), text_media=("text/html",))},
        head=True,
    )
)
async def page(request: Request) -> Response:
    settings = services(request).settings
    headers = {**security_headers(settings), "Cache-Control": "no-cache"}
    return HTMLResponse(site.render_page(settings), headers=headers)


@documented(
    Operation(
        "One of the studio's files (script bundle and its chunks, stylesheet, icon)",
        "studio",
        answers={200: Answer("The file.", media=ASSET_MEDIA), 404: NOT_FOUND},
        head=True,
    )
)
async def asset(request: Request) -> Response:
    found = site.asset(request.path_params["name"])
    # no-cache with the file's ETag: a rebuilt bundle is picked up at once, an unchanged one costs a 304
    headers = {**security_headers(services(request).settings), "Cache-Control": "no-cache"}
    return FileResponse(found.path, media_type=found.media_type, headers=headers)
