"""Answering with a blob from the store: a local file is sent as a file (ranges, no copy through Python), anything
else streams from the store; HEAD reads no bytes."""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.responses import FileResponse, Response, StreamingResponse

from app.store.blobs import Blob, BlobInfo


def blob_response(
    info: BlobInfo, blob: Blob | None, media_type: str, headers: dict[str, str], filename: str | None = None
) -> Response:
    """`blob` opened for GET, or None for HEAD (only `info` is known)."""
    if blob is not None and blob.local_path is not None:
        return FileResponse(
            blob.local_path, media_type=media_type, filename=filename, content_disposition_type="inline",
            headers=headers,
        )  # fmt: skip
    headers = {**headers, "content-length": str(info.size)}
    if filename is not None:
        headers["content-disposition"] = f'inline; filename="{filename}"'
    if blob is None:
        return Response(None, media_type=media_type, headers=headers)
    return StreamingResponse(_drain(blob), media_type=media_type, headers=headers)


async def _drain(blob: Blob) -> AsyncIterator[bytes]:
    try:
        async for chunk in blob.chunks():
            yield chunk
    finally:
        await blob.close()
