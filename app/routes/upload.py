"""Upload slots for photo→3D: `POST /api/forge-upload` (ask), `PUT /api/forge-upload/<id>?expires&sig` (send the
bytes, once), `GET /uploads/<id>.<ext>` (the stored image, the `public_url` to pass in `image_urls`)."""

from __future__ import annotations

import asyncio
import time

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from app.body import read_model
from app.errors import ApiError, bad_request, not_found
from app.routes.forge import model_response
from app.schemas import UploadReceipt, UploadRequest, UploadSlot
from app.services import Services, services
from app.uploads import EXTENSIONS, Slot, UploadError, Uploads, inspect_image, public_path


def uploads_of(svc: Services) -> Uploads:
    if svc.uploads is None:
        raise ApiError(503, "uploads_unavailable", "Uploads are not enabled on this server.")
    return svc.uploads


def mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"


async def create_slot(request: Request) -> JSONResponse:
    svc = services(request)
    uploads = uploads_of(svc)
    decision = await svc.limit(request, "upload", "uploads")
    body = await read_model(request, UploadRequest, svc.settings.max_body_bytes)
    limit = svc.settings.upload_max_bytes
    if body.size_bytes > limit:
        raise ApiError(
            413,
            "image_too_large",
            f"Images may be at most {mib(limit)}; this one is {mib(body.size_bytes)}. "
            "Resize it (2048 px on the longer side is plenty) or save it as JPEG.",
        )
    slot = await uploads.create_slot(body.content_type, body.size_bytes)
    answer = UploadSlot(
        upload_url=svc.absolute(request, uploads.signer.upload_path(slot)),
        headers={"content-type": slot.content_type},
        public_url=svc.absolute(request, public_path(slot.file_name)),
        expires_in=max(0, slot.expires_at - int(time.time())),
    )
    return model_response(answer, 201, decision)


def slot_refused(code: str, message: str) -> ApiError:
    return ApiError(403, code, message + " Ask for a new slot with POST /api/forge-upload.")


async def checked_slot(uploads: Uploads, request: Request) -> Slot:
    """The slot the URL names, its signature and expiry checked (no state changes yet)."""
    found = await uploads.slot(request.path_params["upload_id"])
    if found is None:
        raise not_found("slot_not_found", "There is no such upload slot; ask for one with POST /api/forge-upload.")
    slot, _ = found
    params = request.query_params
    if params.get("expires") != str(slot.expires_at) or not uploads.signer.verify(slot, params.get("sig")):
        raise slot_refused("slot_invalid", "This upload URL's signature does not match.")
    if slot.expires_at < time.time():
        raise slot_refused("slot_expired", "This upload slot has expired.")
    return slot


def check_headers(request: Request, slot: Slot) -> None:
    """What the client says it sends, before any byte is read (the slot stays usable if this fails)."""
    declared_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if declared_type != slot.content_type:
        raise bad_request(
            "content_type_mismatch",
            f"This slot takes {slot.content_type}; send the PUT with content-type: {slot.content_type}.",
        )
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > slot.size_bytes:
        raise too_large(slot)


def too_large(slot: Slot) -> ApiError:
    return ApiError(
        413,
        "upload_too_large",
        f"The upload is larger than the {slot.size_bytes} bytes declared for this slot; ask for a slot with the "
        "file's exact size_bytes.",
    )


async def read_exactly(request: Request, slot: Slot) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > slot.size_bytes:
            raise too_large(slot)
        chunks.append(chunk)
    if size != slot.size_bytes:
        raise bad_request(
            "size_mismatch",
            f"The upload has {size} bytes but {slot.size_bytes} were declared; ask for a slot with the file's exact "
            "size_bytes and send the whole file.",
        )
    return b"".join(chunks)


async def receive(request: Request) -> JSONResponse:
    svc = services(request)
    uploads = uploads_of(svc)
    slot = await checked_slot(uploads, request)
    check_headers(request, slot)
    refused = await uploads.claim(slot.upload_id)
    if refused == "expired":
        raise slot_refused("slot_expired", "This upload slot has expired.")
    if refused is not None:
        raise slot_refused("slot_used", "This upload slot has already been used; each slot takes one file.")
    try:
        data = await read_exactly(request, slot)
        info = await asyncio.to_thread(inspect_image, data, slot.content_type, svc.settings.upload_max_pixels)
        await uploads.keep(slot, info, data)
    except UploadError as exc:
        await uploads.reject(slot.upload_id)
        raise ApiError(exc.status, exc.code, exc.message + " Nothing was kept; ask for a new slot.") from None
    except BaseException:
        await uploads.reject(slot.upload_id)
        raise
    receipt = UploadReceipt(
        public_url=svc.absolute(request, public_path(slot.file_name)),
        content_type=slot.content_type,  # type: ignore[arg-type]
        size_bytes=slot.size_bytes,
        width=info.width,
        height=info.height,
        expires_in=uploads.retention_s,
    )
    return JSONResponse(receipt.model_dump(mode="json"))


async def serve(request: Request) -> Response:
    svc = services(request)
    name = request.path_params["name"]
    path = await uploads_of(svc).stored(name)
    if path is None:
        raise not_found("image_not_found", "There is no such image, or it has expired; upload it again.")
    ext = name.rsplit(".", 1)[-1]
    media_type = next(ct for ct, e in EXTENSIONS.items() if e == ext)
    return FileResponse(
        path,
        media_type=media_type,
        headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
