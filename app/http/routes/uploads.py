"""Upload slots for photo→3D: `POST /api/forge-upload` (ask), `PUT /api/forge-upload/<id>?expires&sig` (send the
bytes, once), `GET /uploads/<id>.<ext>` (the stored image, the `public_url` to pass in `image_urls`)."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.http.answers import json_answer
from app.http.body import read_model
from app.http.context import links, services
from app.http.contract import (
    BAD_REQUEST,
    NOT_FOUND,
    RATE_LIMITED,
    TIMEOUT,
    TOO_LARGE,
    UNAVAILABLE,
    Answer,
    Operation,
    Param,
    documented,
    refusal,
)
from app.http.ratelimit import limited
from app.http.responses import blob_response
from app.http.views import receipt_view, slot_view
from app.photos.images import EXTENSIONS, media_type
from app.schemas import UploadReceipt, UploadRequest, UploadSlot

IMAGE_TYPES = tuple(EXTENSIONS)


@documented(
    Operation(
        "Ask for an upload slot for one photo (its type and exact size)",
        "photos",
        body=UploadRequest,
        answers={
            201: Answer("The slot: PUT the bytes to upload_url with headers, then use public_url.", UploadSlot),
            400: BAD_REQUEST,
            408: TIMEOUT,
            413: TOO_LARGE,
            429: RATE_LIMITED,
            503: UNAVAILABLE,
        },
    )
)
@limited("upload", "uploads")
async def create_slot(request: Request) -> JSONResponse:
    uploads = services(request).uploads
    body = await read_model(request, UploadRequest, services(request).settings.max_body_bytes)
    slot = await uploads.create_slot(body.content_type, body.size_bytes)
    return json_answer(slot_view(links(request), uploads.signer, slot, time.time()), 201)


@documented(
    Operation(
        "Upload the photo's bytes to its slot (once, the declared type and exact size)",
        "photos",
        body={"type": "string", "format": "binary"},
        body_media=IMAGE_TYPES,
        params=(
            Param("expires", "query", "Unix time the slot expires (part of the signed upload_url).", required=True),
            Param("sig", "query", "The slot's signature (part of the signed upload_url).", required=True),
        ),
        answers={
            200: Answer("Kept: the image is served at public_url.", UploadReceipt),
            400: BAD_REQUEST,
            403: refusal("The slot refuses it: `slot_invalid`, `slot_used`, `slot_expired`."),
            404: NOT_FOUND,
            408: TIMEOUT,
            413: TOO_LARGE,
            503: UNAVAILABLE,
        },
    )
)
async def receive(request: Request) -> JSONResponse:
    uploads = services(request).uploads
    received = await uploads.receive(
        request.path_params["upload_id"], request.query_params.get("expires"), request.query_params.get("sig"),
        request.headers.get("content-type", ""), request.headers.get("content-length", ""), request.stream(),
    )  # fmt: skip
    return json_answer(receipt_view(links(request), received, uploads.retention_s))


@documented(
    Operation(
        "An uploaded (or fetched) photo, while it is kept",
        "photos",
        answers={200: Answer("The image.", media=IMAGE_TYPES), 404: NOT_FOUND, 503: UNAVAILABLE},
        head=True,
    )
)
async def serve(request: Request) -> Response:
    name = request.path_params["name"]
    info, blob = await services(request).uploads.image(name, body=request.method != "HEAD")
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    return blob_response(info, blob, media_type(name), headers)
