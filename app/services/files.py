"""Generated files behind signed, expiring links: which file a link grants, if it does, opened from the store.

Links are ours (HMAC, `FORGE402_FILE_URL_TTL_SECONDS`) whatever holds the bytes: any node with the signing secret
and the store serves any node's link, and the bytes stream from the store through the node."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import Forbidden, NotFound
from app.services.container import Services
from app.store.blobs import Blob, BlobInfo, BlobNotFound
from app.store.files import SERVABLE, job_key


@dataclass(frozen=True, slots=True)
class JobFile:
    media_type: str
    filename: str  # what a download saves it as: <job_id>.<ext>
    info: BlobInfo
    blob: Blob | None = None  # opened for GET; None for HEAD (no bytes are read)


def check_link(svc: Services, link_path: str, job_id: str, name: str, expires: str | None, sig: str | None) -> str:
    """The store key `/files/<job_id>/<name>` names, when `expires` and `sig` sign `link_path` and are still valid."""
    if name not in SERVABLE:
        raise NotFound("file_not_found", "There is no such file.")
    problem = svc.signer.check(link_path, expires, sig)
    if problem is not None:
        kind = NotFound if "expired" in problem else Forbidden
        raise kind("link_invalid", f"This file link is not valid: {problem}.")
    try:
        return job_key(job_id, name)
    except ValueError:
        raise NotFound("file_not_found", "There is no such file.") from None


async def open_job_file(
    svc: Services,
    link_path: str,
    job_id: str,
    name: str,
    expires: str | None,
    sig: str | None,
    *,
    body: bool = True,
) -> JobFile:
    """The file a signed link grants, opened for reading (`body`) or only described (HEAD). BlobStoreUnavailable
    passes through (503: the link stays valid, the client retries)."""
    key = check_link(svc, link_path, job_id, name, expires, sig)
    media_type, filename = SERVABLE[name], f"{job_id}.{name.rsplit('.', 1)[-1]}"
    try:
        if not body:
            return JobFile(media_type, filename, await svc.files.blobs.stat(key))
        blob = await svc.files.blobs.open(key)
    except BlobNotFound:
        raise NotFound("file_not_found", "The file is gone; generate the model again.") from None
    return JobFile(media_type, filename, blob.info, blob)
