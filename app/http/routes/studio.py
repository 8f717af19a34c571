"""The studio: `GET /` (the page) and `GET /studio/<file>` (its script bundle, stylesheet and icon), each with the
studio's security headers (`app.studio.headers`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from app.http.context import services
from app.studio import site
from app.studio.headers import security_headers


async def page(request: Request) -> Response:
    settings = services(request).settings
    headers = {**security_headers(settings), "Cache-Control": "no-cache"}
    return HTMLResponse(site.render_page(settings), headers=headers)


async def asset(request: Request) -> Response:
    found = site.asset(request.path_params["name"])
    # no-cache with the file's ETag: a rebuilt bundle is picked up at once, an unchanged one costs a 304
    headers = {**security_headers(services(request).settings), "Cache-Control": "no-cache"}
    return FileResponse(found.path, media_type=found.media_type, headers=headers)
