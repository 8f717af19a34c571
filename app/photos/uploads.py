"""Upload slots and the images kept for photo → 3D.

A slot is a row in the `uploads` table (declared content type and size) plus a signed URL,
`/api/forge-upload/<id>?expires=<unix>&sig=<hex>`, whose MAC covers the id, the declared type and size, and the
expiry. The PUT is claimed atomically (pending → receiving), so a slot takes at most one body; the bytes must be the
declared size and type (magic number), decode completely, and stay under a pixel-count limit (decompression bombs)
before anything is written to the store (local files or S3: the bytes always come through this service, never
straight to the store, so no check can be skipped). If the store is unreachable at that moment the PUT answers 503
and the slot stays usable. A stored image is served at `/uploads/<id>.<ext>` until it expires.
Images we fetch for `image_urls` pass the same checks and land in the same store (source "fetch").
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from app.config import Settings
from app.digits import ascii_int
from app.errors import Forbidden, ForgeError, Invalid, NotFound, TooLarge
from app.photos.images import ImageInfo, file_name, inspect_image, parse_file_name
from app.signing import UrlSigner
from app.store.blobs import Blob, BlobInfo, BlobNotFound, BlobStoreUnavailable
from app.store.files import FileStore, image_key
from app.store.seam import UploadStore

log = logging.getLogger("forge402.uploads")
MAX_LENGTH_DIGITS = 18  # the bytes are counted as they come; a longer Content-Length is not one
_ID = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
ASK_AGAIN = " Ask for a new slot with POST /api/forge-upload."


@dataclass(frozen=True, slots=True)
class Slot:
    upload_id: str
    content_type: str
    size_bytes: int
    expires_at: int

    @property
    def file_name(self) -> str:
        return file_name(self.upload_id, self.content_type)


@dataclass(frozen=True, slots=True)
class Received:
    """A PUT that was kept: its slot and what the image is."""

    slot: Slot
    info: ImageInfo


class SlotSigner:
    """HMAC over (id, type, size, expiry); a key derived from the service secret, separate from file links."""

    def __init__(self, secret: bytes, previous: Sequence[bytes] = ()) -> None:
        key, *older = (hmac.new(s, b"forge402 upload slots", hashlib.sha256).digest() for s in (secret, *previous))
        self._signer = UrlSigner(key, ttl_seconds=0, previous=older)  # a slot carries its own expiry

    @staticmethod
    def _message(slot: Slot) -> str:
        return f"PUT /api/forge-upload/{slot.upload_id}\n{slot.content_type}\n{slot.size_bytes}"

    def upload_path(self, slot: Slot) -> str:
        return f"/api/forge-upload/{slot.upload_id}?{self._signer.query(self._message(slot), slot.expires_at)}"

    def verify(self, slot: Slot, sig: str | None) -> bool:
        return sig is not None and self._signer.verify(self._message(slot), slot.expires_at, sig)


def new_id() -> str:
    return secrets.token_urlsafe(18)  # 144 bits


def is_upload_id(value: str) -> bool:
    return bool(_ID.match(value))


def public_path(name: str) -> str:
    return f"/uploads/{name}"


def mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"


def slot_row(slot: Slot, now: float, retention_s: float) -> dict[str, Any]:
    return {
        "id": slot.upload_id,
        "source": "slot",
        "content_type": slot.content_type,
        "size_bytes": slot.size_bytes,
        "status": "pending",
        "created_at": now,
        "slot_expires_at": float(slot.expires_at),
        "expires_at": slot.expires_at + retention_s,
    }


def stored_fields(info: ImageInfo, data: bytes, now: float) -> dict[str, Any]:
    return {
        "stored_at": now,
        "width": info.width,
        "height": info.height,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def slot_refused(code: str, message: str) -> Forbidden:
    return Forbidden(code, message + ASK_AGAIN)


def too_large(slot: Slot) -> TooLarge:
    return TooLarge(
        "upload_too_large",
        f"The upload is larger than the {slot.size_bytes} bytes declared for this slot; ask for a slot with the "
        "file's exact size_bytes.",
    )


class Uploads:
    """Slots and stored images, over the service's store and FileStore (every call runs off the event loop)."""

    def __init__(self, records: UploadStore, files: FileStore, settings: Settings) -> None:
        self.records = records
        self.files = files
        secret, *previous = settings.signing_keys()
        self.signer = SlotSigner(secret, previous)
        self.max_bytes = settings.upload_max_bytes
        self.max_pixels = settings.upload_max_pixels
        self.slot_ttl_s = settings.upload_slot_ttl_seconds
        self.retention_s = settings.upload_retention_seconds
        self._next_purge = 0.0

    # ---- slots -----------------------------------------------------------------------------------------------
    async def create_slot(self, content_type: str, size_bytes: int, now: float | None = None) -> Slot:
        """A slot for one image of `size_bytes`; TooLarge over the upload limit."""
        if size_bytes > self.max_bytes:
            raise TooLarge(
                "image_too_large",
                f"Images may be at most {mib(self.max_bytes)}; this one is {mib(size_bytes)}. "
                "Resize it (2048 px on the longer side is plenty) or save it as JPEG.",
            )
        now = time.time() if now is None else now
        await self.purge(now)
        slot = Slot(new_id(), content_type, size_bytes, int(now) + self.slot_ttl_s)
        await self.records.insert(slot_row(slot, now, self.retention_s))
        return slot

    async def slot(self, upload_id: str) -> Slot | None:
        row = await self.records.get(upload_id) if is_upload_id(upload_id) else None
        if row is None or row["source"] != "slot":
            return None
        return Slot(row["id"], row["content_type"], row["size_bytes"], int(row["slot_expires_at"]))

    async def claim(self, upload_id: str, now: float | None = None) -> str | None:
        return await self.records.claim(upload_id, time.time() if now is None else now)

    async def reject(self, upload_id: str) -> None:
        await self.records.set_status(upload_id, "rejected", {})

    async def receive(
        self,
        upload_id: str,
        expires: str | None,
        sig: str | None,
        content_type: str,
        content_length: str,
        body: AsyncIterator[bytes],
    ) -> Received:
        """The PUT of a slot: its signature and expiry, the declared headers, then the bytes (exactly the declared
        size, a whole image of the declared type). Nothing is kept unless every check passes; the slot is used."""
        slot = await self._checked_slot(upload_id, expires, sig)
        self._check_headers(slot, content_type, content_length)
        refused = await self.claim(slot.upload_id)
        if refused == "expired":
            raise slot_refused("slot_expired", "This upload slot has expired.")
        if refused is not None:
            raise slot_refused("slot_used", "This upload slot has already been used; each slot takes one file.")
        try:
            data = await self._read_exactly(slot, body)
            try:
                info = await asyncio.to_thread(inspect_image, data, slot.content_type, self.max_pixels)
            except ForgeError as exc:
                raise exc.reworded(exc.message + " Nothing was kept; ask for a new slot.") from None
            await self.keep(slot, info, data)
        except BlobStoreUnavailable:
            await self.records.set_status(slot.upload_id, "pending", {})  # nothing kept: PUT it again later
            raise
        except BaseException:
            await self.reject(slot.upload_id)
            raise
        return Received(slot, info)

    async def _checked_slot(self, upload_id: str, expires: str | None, sig: str | None) -> Slot:
        """The slot the URL names, its signature and expiry checked (no state changes yet)."""
        slot = await self.slot(upload_id)
        if slot is None:
            raise NotFound("slot_not_found", "There is no such upload slot; ask for one with POST /api/forge-upload.")
        if expires != str(slot.expires_at) or not self.signer.verify(slot, sig):
            raise slot_refused("slot_invalid", "This upload URL's signature does not match.")
        if slot.expires_at < time.time():
            raise slot_refused("slot_expired", "This upload slot has expired.")
        return slot

    @staticmethod
    def _check_headers(slot: Slot, content_type: str, content_length: str) -> None:
        """What the client says it sends, before any byte is read (the slot stays usable if this fails)."""
        declared_type = content_type.split(";", 1)[0].strip().lower()
        if declared_type != slot.content_type:
            raise Invalid(
                "content_type_mismatch",
                f"This slot takes {slot.content_type}; send the PUT with content-type: {slot.content_type}.",
            )
        declared = ascii_int(content_length, MAX_LENGTH_DIGITS)
        if declared is not None and declared > slot.size_bytes:
            raise too_large(slot)

    @staticmethod
    async def _read_exactly(slot: Slot, body: AsyncIterator[bytes]) -> bytes:
        chunks, size = [], 0
        async for chunk in body:
            size += len(chunk)
            if size > slot.size_bytes:
                raise too_large(slot)
            chunks.append(chunk)
        if size != slot.size_bytes:
            raise Invalid(
                "size_mismatch",
                f"The upload has {size} bytes but {slot.size_bytes} were declared; ask for a slot with the file's "
                "exact size_bytes and send the whole file.",
            )
        return b"".join(chunks)

    # ---- kept images -----------------------------------------------------------------------------------------
    async def _write(self, name: str, info: ImageInfo, data: bytes, now: float) -> dict[str, Any]:
        """Write the bytes and return the row fields describing them (hashing runs in a thread)."""
        await self.files.write_image(name, data)
        return await asyncio.to_thread(stored_fields, info, data, now)

    async def keep(self, slot: Slot, info: ImageInfo, data: bytes) -> None:
        """Write the checked bytes, then mark the slot stored (a crash in between leaves no servable row)."""
        fields = await self._write(slot.file_name, info, data, time.time())
        await self.records.set_status(slot.upload_id, "stored", fields)

    async def keep_fetched(self, info: ImageInfo, data: bytes, now: float | None = None) -> str:
        """Store an image we downloaded for `image_urls`; returns its file name."""
        now = time.time() if now is None else now
        upload_id = new_id()
        name = file_name(upload_id, info.content_type)
        fields = await self._write(name, info, data, now)
        row = {
            "id": upload_id,
            "source": "fetch",
            "content_type": info.content_type,
            "size_bytes": len(data),
            "status": "stored",
            "created_at": now,
            "expires_at": now + self.retention_s,
            **fields,
        }
        await self.records.insert(row)
        return name

    async def _live_row(self, name: str, now: float | None = None) -> dict[str, Any] | None:
        """The record of a stored, unexpired image called `name` ('<id>.<ext>'), or None."""
        upload_id = parse_file_name(name)
        if upload_id is None:
            return None
        row = await self.records.get(upload_id)
        now = time.time() if now is None else now
        if row is None or row["status"] != "stored" or row["expires_at"] < now:
            return None
        return row if file_name(upload_id, row["content_type"]) == name else None

    async def stored(self, name: str, now: float | None = None) -> str | None:
        """`name` when it is a stored, unexpired image whose bytes are in the store, else None."""
        if await self._live_row(name, now) is None:
            return None
        return name if await self.files.image_exists(name) else None

    async def image(self, name: str, body: bool = True) -> tuple[BlobInfo, Blob | None]:
        """A stored image to serve, opened (`body`) or only described (HEAD); NotFound when there is none (or it
        expired)."""
        gone = NotFound("image_not_found", "There is no such image, or it has expired; upload it again.")
        if await self._live_row(name) is None:
            raise gone
        try:
            if not body:
                return await self.files.blobs.stat(image_key(name)), None
            blob = await self.files.open_image(name)
        except BlobNotFound:
            raise gone from None
        return blob.info, blob

    async def purge(self, now: float) -> None:
        """Forget expired slots and images (at most once a minute, piggy-backing on slot creation)."""
        if now < self._next_purge:
            return
        self._next_purge = now + 60
        names = [file_name(row["id"], row["content_type"]) for row in await self.records.take_expired(now)]
        try:
            for name in names:
                await self.files.delete_image(name)
        except BlobStoreUnavailable as exc:  # housekeeping: never the reason a slot is refused
            log.warning("expired photos left in storage (unreachable: %s)", exc.detail)
