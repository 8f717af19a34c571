"""Upload slots for photo→3D: `POST /api/forge-upload` (ask), `PUT /api/forge-upload/<id>?expires&sig` (send the
bytes, once), `GET /uploads/<id>.<ext>` (the stored image, the `public_url` to pass in `image_urls`)."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.http.answers import json_answer
from app.http.body import read_model
from app.http.context import links, services
from app.http.ratelimit import limited
from app.http.responses import blob_response
from app.http.views import receipt_view, slot_view
from app.photos.images import media_type
from app.schemas import UploadRequest


@limited("upload", "uploads")
async def create_slot(request: Request) -> JSONResponse:
    uploads = services(request).uploads
    body = await read_model(request, UploadRequest, services(request).settings.max_body_bytes)
    slot = await uploads.create_slot(body.content_type, body.size_bytes)
    return json_answer(slot_view(links(request), uploads.signer, slot, time.time()), 201)


async def receive(request: Request) -> JSONResponse:
    uploads = services(request).uploads
    received = await uploads.receive(
        request.path_params["upload_id"], request.query_params.get("expires"), request.query_params.get("sig"),
        request.headers.get("content-type", ""), request.headers.get("content-length", ""), request.stream(),
    )  # fmt: skip
    return json_answer(receipt_view(links(request), received, uploads.retention_s))


async def serve(request: Request) -> Response:
    name = request.path_params["name"]
    info, blob = await services(request).uploads.image(name, body=request.method != "HEAD")
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    return blob_response(info, blob, media_type(name), headers)
