"""Serving the studio: `GET /` (the page) and `GET /studio/<file>` (its stylesheet, icon and the script bundle that
`scripts/build-studio.mjs` builds at set-up), each with the studio's security headers."""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from app.config import Settings
from app.errors import ApiError, not_found
from app.services import services
from app.studio.headers import security_headers

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"  # hand-written files served as they are (sources under static/src are bundled, not served)
DIST = HERE / "dist"  # the bundle (gitignored; built by scripts/setup)
PAGE = STATIC / "index.html"
BUNDLE = "studio.js"
MEDIA_TYPES = {  # what /studio/<file> serves (the page itself is rendered at /)
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".map": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


@cache
def assets() -> dict[str, Path]:
    """Every file the studio serves, by name: the top level of static/ and of dist/, nothing else (no paths from
    the request ever reach the file system)."""
    found: dict[str, Path] = {}
    for folder in (STATIC, DIST):
        if folder.is_dir():
            found.update({p.name: p for p in folder.iterdir() if p.is_file() and p.suffix in MEDIA_TYPES})
    return found


def find(name: str) -> Path | None:
    """The served file of that name; the listing is read again once on a miss (a build may have finished since)."""
    if name not in assets():
        assets.cache_clear()
    return assets().get(name)


def not_built() -> ApiError:
    return ApiError(
        503, "studio_unavailable", "The studio's script is not built on this server; run scripts/setup (needs npm)."
    )


async def page(request: Request) -> Response:
    """The studio: a page to forge a model from a prompt or photos, watch the job, view and download the model,
    retopologize it and pay through x402 with a browser wallet. It calls the public API only."""
    if find(BUNDLE) is None:
        raise not_built()
    settings = services(request).settings
    headers = {**security_headers(settings), "Cache-Control": "no-cache"}
    return HTMLResponse(render_page(settings), headers=headers)


@cache
def page_source() -> str:
    return PAGE.read_text()


def render_page(settings: Settings) -> str:
    """The page, told the one setting its script needs that the API does not give: the Solana RPC a browser
    wallet's payment reads (a data attribute, so nothing inline for the CSP to allow)."""
    rpc = escape(settings.studio_solana_rpc_url or "", quote=True)
    return page_source().replace('<html lang="en">', f'<html lang="en" data-solana-rpc="{rpc}">', 1)


async def asset(request: Request) -> Response:
    """One of the studio's static files (script bundle and its chunks, stylesheet, icon), by name."""
    path = find(request.path_params["name"])
    if path is None:
        raise not_found("asset_not_found", "There is no such studio file.")
    return file_response(request, path, "no-cache")


def file_response(request: Request, path: Path, cache_control: str) -> Response:
    """The file with its type, an ETag (so no-cache revalidates cheaply) and the security headers."""
    headers = {**security_headers(services(request).settings), "Cache-Control": cache_control}
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=headers)
