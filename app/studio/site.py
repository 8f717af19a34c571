"""The studio's files: the page (rendered from `static/index.html`) and what it loads by name (the script bundle
that `scripts/build-studio.mjs` builds at set-up, its stylesheet, its icon). The HTTP route is
`app.http.routes.studio`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from app.config import Settings
from app.errors import NotFound, Unavailable

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


@dataclass(frozen=True, slots=True)
class Asset:
    path: Path
    media_type: str


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


def asset(name: str) -> Asset:
    """One of the studio's static files (script bundle and its chunks, stylesheet, icon), by name."""
    path = find(name)
    if path is None:
        raise NotFound("asset_not_found", "There is no such studio file.")
    return Asset(path, MEDIA_TYPES[path.suffix])


@cache
def page_source() -> str:
    return PAGE.read_text()


def render_page(settings: Settings) -> str:
    """The studio: a page to forge a model from a prompt or photos, watch the job, view and download the model,
    retopologize it and pay through x402 with a browser wallet; it calls the public API only. The page is told the
    one setting its script needs that the API does not give: the Solana RPC a browser wallet's payment reads (a
    data attribute, so nothing inline for the CSP to allow)."""
    if find(BUNDLE) is None:
        raise Unavailable(
            "studio_unavailable", "The studio's script is not built on this server; run scripts/setup (needs npm)."
        )
    rpc = escape(settings.studio_solana_rpc_url or "", quote=True)
    return page_source().replace('<html lang="en">', f'<html lang="en" data-solana-rpc="{rpc}">', 1)
