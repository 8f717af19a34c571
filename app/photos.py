"""`image_urls` in a generation request → stored, checked images the job can read, before any job (or payment).

Both lanes call `prepare_images` in the request path, so an unusable photo is a 400 before money moves:
1. 1–4 URLs, none a data: URI.
2. Our own upload URLs (`<this server>/uploads/<id>.<ext>`) are read from the store; any other URL is fetched under
   the SSRF rules of `app.safefetch`. Fetched bytes pass the same checks as uploads (type, decode, pixel count).
3. Unless `skip_validation`, the first view goes through the photo pre-check (CPU work in a thread).
4. Only then are fetched images stored; the job refers to every image by its file name in the store.
Nothing is kept when any step fails.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

import httpx
import numpy as np
from PIL import Image
from starlette.requests import Request

from app.errors import ApiError, bad_request
from app.jobs.service import backend_for, image_path
from app.safefetch import FetchPolicy, FetchRefused, Kind, Resolver, fetch, policy_for, system_resolver
from app.schemas import MAX_IMAGES, ForgeRequest, PhotoIssue
from app.services import Services
from app.uploads import ImageInfo, inspect_image, parse_file_name

PRECHECK_SIDE = 1024  # the pre-check looks at 512 px; decode a little larger for a clean downscale
IMAGE_TYPES = "image/png, image/jpeg, image/webp"
UNREACHABLE = "image_url_unreachable"
REFUSALS: dict[Kind, tuple[int, str, str]] = {  # a fetch refusal, as image_urls words it: (status, code, message)
    "data_uri": (400, "image_url_invalid", "data: URIs are not accepted; upload the image and pass its URL."),
    "not_url": (400, "image_url_invalid", "'{url}' is not a valid URL."),
    "not_http": (400, "image_url_invalid", "'{url}' is not an http(s) URL; send a public https image URL."),
    "credentials": (400, "image_url_invalid", "Image URLs must not contain a user name or password."),
    "insecure": (400, "image_url_insecure", "'{url}' uses http; this server only fetches https image URLs."),
    "unresolvable": (400, UNREACHABLE, "The host '{host}' does not resolve."),
    "forbidden": (
        400,
        "image_url_forbidden",
        "'{host}' points at a private or reserved network address; image URLs must be public "
        "(upload the file with POST /api/forge-upload instead).",
    ),
    "timeout": (400, "image_url_timeout", "'{url}' did not answer within {seconds:g} s; upload the image instead."),
    "http_status": (400, UNREACHABLE, "'{url}' answered HTTP {http_status}; send a URL that serves the image."),
    "network": (400, UNREACHABLE, "Could not download '{url}' ({cause})."),
    "redirects": (400, "image_url_redirects", "'{url}' redirects more than {redirects} times."),
    "too_large": (413, "image_too_large", "The image at '{url}' is larger than {mib:g} MiB."),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One image of the request: already in our store (`stored`), or fetched bytes waiting to be stored."""

    position: int  # 1-based, as the user counts
    stored: str | None = None
    data: bytes | None = None
    info: ImageInfo | None = None


def fetch_policy(svc: Services) -> FetchPolicy:
    """http as well as https outside production; the whole fetch within FETCH_TIMEOUT_SECONDS."""
    s = svc.settings
    timeout = s.fetch_timeout_seconds
    return policy_for(s, https_only=s.production, max_bytes=s.upload_max_bytes, timeout_s=timeout, deadline_s=timeout)


async def fetch_image(url: str, policy: FetchPolicy, resolver: Resolver = system_resolver) -> bytes:
    """The bytes at an image URL; a refusal is an ApiError worded for image_urls."""
    try:
        return await fetch(url, policy, resolver, accept=IMAGE_TYPES)
    except FetchRefused as exc:
        status, code, template = REFUSALS[exc.kind]
        raise ApiError(status, code, exc.explain(template)) from None


def check_count(urls: list[str]) -> None:
    if not urls:
        raise bad_request("no_images", "image_urls is empty: send 1–4 image URLs (or a prompt instead of image_urls).")
    if len(urls) > MAX_IMAGES:
        raise bad_request(
            "too_many_images",
            f"image_urls has {len(urls)} URLs; send 1–{MAX_IMAGES} photos of one object "
            "(in the order front, right, back, top).",
        )


def own_upload_name(svc: Services, request: Request, url: str) -> str | None:
    """'<id>.<ext>' when `url` is one of this server's upload URLs, else None."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None
    if not parsed.path.startswith("/uploads/"):
        return None
    ours = {httpx.URL(str(request.base_url)).netloc}
    if svc.settings.public_url:
        ours.add(httpx.URL(svc.settings.public_url).netloc)
    if parsed.netloc not in ours:
        return None
    name = parsed.path.removeprefix("/uploads/")
    return name if parse_file_name(name) else None


async def resolve_one(svc: Services, request: Request, url: str, position: int) -> Candidate:
    name = own_upload_name(svc, request, url)
    if name is not None:
        if svc.uploads is None or await svc.uploads.stored(name) is None:
            raise bad_request(
                "image_not_found",
                f"Image {position} ({name}) was never uploaded or has expired; upload it again "
                "(POST /api/forge-upload, then PUT the file).",
            )
        return Candidate(position, stored=name)
    try:
        data = await fetch_image(url, fetch_policy(svc))
        info = await asyncio.to_thread(inspect_image, data, None, svc.settings.upload_max_pixels)
    except ApiError as exc:  # a refused fetch, or an UploadError from the image checks
        raise ApiError(exc.status, exc.code, f"Image {position}: {exc.message}", extra={"image": position}) from None
    return Candidate(position, data=data, info=info)


def _precheck(data: bytes) -> list[PhotoIssue]:
    from app.engines.local.photo import decode_photo
    from app.engines.local.precheck import check_photo

    rgba = decode_photo(data, PRECHECK_SIDE)
    with Image.open(io.BytesIO(data)) as image:  # the original size decides "low resolution"
        size = image.size
    return [PhotoIssue(code=i.code, message=i.message) for i in check_photo(np.asarray(rgba), size)]


async def first_view_bytes(svc: Services, first: Candidate) -> bytes:
    if first.data is not None:
        return first.data
    assert svc.uploads is not None and first.stored is not None
    path = svc.uploads.store.path(first.stored)
    return await asyncio.to_thread(path.read_bytes)


async def precheck(svc: Services, first: Candidate) -> None:
    """Refuse (400 photo_rejected, with every issue found) a first view that will not reconstruct."""
    issues = await asyncio.to_thread(_precheck, await first_view_bytes(svc, first))
    if issues:
        raise bad_request(
            "photo_rejected",
            f"Photo {first.position} cannot be used: {issues[0].message} "
            "(Or send skip_validation: true to generate anyway.)",
            issues=[i.model_dump() for i in issues],
            image=first.position,
        )


async def prepare_images(svc: Services, request: Request, body: ForgeRequest) -> list[str] | None:
    """The stored file names of the request's images, in order (None for a text request)."""
    if body.image_urls is None:
        return None
    check_count(body.image_urls)
    backend_for(body, image_path(body))  # a backend that cannot build from photos: say so before fetching
    results = await asyncio.gather(
        *(resolve_one(svc, request, url, i) for i, url in enumerate(body.image_urls, 1)), return_exceptions=True
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result
    candidates: list[Candidate] = list(results)  # type: ignore[arg-type]
    if not body.skip_validation:
        await precheck(svc, candidates[0])
    assert svc.uploads is not None
    names = []
    for c in candidates:
        if c.stored is not None:
            names.append(c.stored)
        else:
            assert c.data is not None and c.info is not None
            names.append(await svc.uploads.keep_fetched(c.info, c.data))
    return names
