"""`image_urls` in a generation request → stored, checked images the job can read, before any job (or payment).

Both lanes call `prepare_images` before planning, so an unusable photo is refused before money moves:
1. 1–4 URLs, none a data: URI.
2. Our own upload URLs (`<this server>/uploads/<id>.<ext>`) are read from the store; any other URL is fetched under
   the SSRF rules of `app.safefetch`. Fetched bytes pass the same checks as uploads (type, decode, pixel count).
3. Unless `skip_validation`, the first view goes through the photo pre-check (CPU work in a thread).
4. Only then are fetched images stored; the job refers to every image by its file name in the store.
Nothing is kept when any step fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass

import httpx

from app.config import Settings
from app.errors import ForgeError, Invalid
from app.jobs.plan_generation import backend_for, image_path
from app.photos.fetch import fetch_image, fetch_policy
from app.photos.images import ImageInfo, inspect_image, parse_file_name
from app.photos.precheck import precheck
from app.photos.uploads import Uploads
from app.schemas import MAX_IMAGES, ForgeRequest


@dataclass(frozen=True, slots=True)
class Candidate:
    """One image of the request: already in our store (`stored`), or fetched bytes waiting to be stored."""

    position: int  # 1-based, as the user counts
    stored: str | None = None
    data: bytes | None = None
    info: ImageInfo | None = None


def check_count(urls: list[str]) -> None:
    if not urls:
        raise Invalid("no_images", "image_urls is empty: send 1–4 image URLs (or a prompt instead of image_urls).")
    if len(urls) > MAX_IMAGES:
        raise Invalid(
            "too_many_images",
            f"image_urls has {len(urls)} URLs; send 1–{MAX_IMAGES} photos of one object "
            "(in the order front, right, back, top).",
        )


def own_upload_name(url: str, own_hosts: Collection[str]) -> str | None:
    """'<id>.<ext>' when `url` is one of this server's upload URLs (on one of `own_hosts`), else None."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None
    if not parsed.path.startswith("/uploads/") or parsed.netloc.decode() not in own_hosts:
        return None
    name = parsed.path.removeprefix("/uploads/")
    return name if parse_file_name(name) else None


class Preparer:
    """Prepares the images of one request."""

    def __init__(self, uploads: Uploads, settings: Settings, own_hosts: Collection[str]) -> None:
        self.uploads = uploads
        self.settings = settings
        self.own_hosts = own_hosts

    async def resolve(self, url: str, position: int) -> Candidate:
        name = own_upload_name(url, self.own_hosts)
        if name is not None:
            if await self.uploads.stored(name) is None:
                raise Invalid(
                    "image_not_found",
                    f"Image {position} ({name}) was never uploaded or has expired; upload it again "
                    "(POST /api/forge-upload, then PUT the file).",
                )
            return Candidate(position, stored=name)
        try:
            data = await fetch_image(url, fetch_policy(self.settings))
            info = await asyncio.to_thread(inspect_image, data, None, self.settings.upload_max_pixels)
        except ForgeError as exc:  # a refused fetch, or an image that fails the checks
            raise exc.reworded(f"Image {position}: {exc.message}", image=position) from None
        return Candidate(position, data=data, info=info)

    async def first_view_bytes(self, first: Candidate) -> bytes:
        if first.data is not None:
            return first.data
        assert first.stored is not None
        return await self.uploads.files.read_image(first.stored)

    async def keep(self, candidate: Candidate) -> str:
        if candidate.stored is not None:
            return candidate.stored
        assert candidate.data is not None and candidate.info is not None
        return await self.uploads.keep_fetched(candidate.info, candidate.data)


async def prepare_images(
    uploads: Uploads, settings: Settings, body: ForgeRequest, own_hosts: Collection[str]
) -> list[str] | None:
    """The stored file names of the request's images, in order (None for a text request)."""
    if body.image_urls is None:
        return None
    check_count(body.image_urls)
    backend_for(body, image_path(body))  # a backend that cannot build from photos: say so before fetching
    preparer = Preparer(uploads, settings, own_hosts)
    results = await asyncio.gather(
        *(preparer.resolve(url, i) for i, url in enumerate(body.image_urls, 1)), return_exceptions=True
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result
    candidates: list[Candidate] = list(results)  # type: ignore[arg-type]
    if not body.skip_validation:
        await precheck(await preparer.first_view_bytes(candidates[0]), candidates[0].position)
    return [await preparer.keep(c) for c in candidates]
