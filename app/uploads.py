"""Images users hand us: upload slots (HMAC-signed, expiring, single use), the checks every image passes, and the
store that keeps them for a while.

A slot is a row in the `uploads` table (declared content type and size) plus a signed URL,
`/api/forge-upload/<id>?expires=<unix>&sig=<hex>`, whose MAC covers the id, the declared type and size, and the
expiry. The PUT is claimed atomically (pending → receiving), so a slot takes at most one body; the bytes must be the
declared size and type (magic number), decode completely, and stay under a pixel-count limit (decompression bombs)
before anything is written. A stored image is served at `/uploads/<id>.<ext>` until it expires.
Images we fetch for `image_urls` pass the same checks and land in the same store (source "fetch").
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import re
import secrets
import sqlite3
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from app.database import Database, transaction
from app.errors import ApiError
from app.signing import UrlSigner
from app.storage import write_atomically

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
_ID = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_FILE = re.compile(r"^([A-Za-z0-9_-]{22,64})\.(png|jpg|webp)$")


class UploadError(ApiError):
    """A refused upload or image; `status`, `code` and a message that says what to do."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


def sniff(data: bytes) -> str | None:
    """The image type from the first bytes (magic number), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def inspect_image(data: bytes, declared: str | None, max_pixels: int) -> ImageInfo:
    """Check that `data` is a whole PNG/JPEG/WebP (of the declared type, if any) of at most `max_pixels` pixels.

    The size is read from the header before any pixel is decoded, so a tiny file claiming huge dimensions is
    refused without allocating them; then the whole image is decoded, which catches truncated and corrupt files."""
    kind = sniff(data)
    if kind is None:
        raise UploadError(400, "not_an_image", "The file is not a PNG, JPEG or WebP image; export it as one of those.")
    if declared is not None and kind != declared:
        raise UploadError(
            400,
            "content_type_mismatch",
            f"The file is {EXTENSIONS[kind].upper()} but was declared as {declared}; request a slot with "
            f"content_type {kind}.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]]) as image:
                width, height = image.size
                if width < 1 or height < 1 or width * height > max_pixels:
                    raise UploadError(
                        400,
                        "image_too_many_pixels",
                        f"The image claims {width}×{height} pixels; the limit is {max_pixels // 1_000_000} megapixels. "
                        "Resize it (2048 px on the longer side is plenty).",
                    )
                image.load()
    except UploadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError(
            400, "image_too_many_pixels", f"The image is larger than {max_pixels // 1_000_000} megapixels; resize it."
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise UploadError(
            400, "image_corrupt", "The image is truncated or corrupt and cannot be decoded; export it again."
        ) from None
    return ImageInfo(kind, width, height)


# ---------------------------------------------------------------------------------------------- the file store


class ImageStore:
    """`<root>/<id>.<ext>`, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        if not _FILE.match(name):
            raise ValueError(f"not an upload file name: {name!r}")
        return self.root / name

    def write(self, name: str, data: bytes) -> Path:
        return write_atomically(self.path(name), data)

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)


def file_name(upload_id: str, content_type: str) -> str:
    return f"{upload_id}.{EXTENSIONS[content_type]}"


def parse_file_name(name: str) -> str | None:
    """The upload id in '<id>.<ext>', or None."""
    match = _FILE.match(name)
    return match.group(1) if match else None


# ---------------------------------------------------------------------------------------------- database rows


def _insert(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    conn.execute(f"INSERT INTO uploads ({columns}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))


def _get(conn: sqlite3.Connection, upload_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM uploads WHERE id = ?", (upload_id,)).fetchone()
    return dict(row) if row else None


def _claim(conn: sqlite3.Connection, upload_id: str, now: float) -> str | None:
    """pending → receiving, atomically. None on success, else why not ('used' or 'expired')."""
    with transaction(conn):
        row = conn.execute("SELECT status, slot_expires_at FROM uploads WHERE id = ?", (upload_id,)).fetchone()
        if row is None or row["status"] != "pending":
            return "used"
        if row["slot_expires_at"] < now:
            return "expired"
        conn.execute("UPDATE uploads SET status = 'receiving' WHERE id = ?", (upload_id,))
    return None


def _set_status(conn: sqlite3.Connection, upload_id: str, status: str, fields: dict[str, Any]) -> None:
    sets = ", ".join(["status = ?", *(f"{k} = ?" for k in fields)])
    conn.execute(f"UPDATE uploads SET {sets} WHERE id = ?", (status, *fields.values(), upload_id))


def _expired(conn: sqlite3.Connection, now: float) -> list[dict[str, Any]]:
    with transaction(conn):
        rows = [dict(r) for r in conn.execute("SELECT id, content_type FROM uploads WHERE expires_at < ?", (now,))]
        conn.execute("DELETE FROM uploads WHERE expires_at < ?", (now,))
    return rows


# ---------------------------------------------------------------------------------------------- slots


@dataclass(frozen=True, slots=True)
class Slot:
    upload_id: str
    content_type: str
    size_bytes: int
    expires_at: int

    @property
    def file_name(self) -> str:
        return file_name(self.upload_id, self.content_type)


class SlotSigner:
    """HMAC over (id, type, size, expiry); a key derived from the service secret, separate from file links."""

    def __init__(self, secret: bytes) -> None:
        key = hmac.new(secret, b"forge402 upload slots", hashlib.sha256).digest()
        self._signer = UrlSigner(key, ttl_seconds=0)  # a slot carries its own expiry

    @staticmethod
    def _message(slot: Slot) -> str:
        return f"PUT /api/forge-upload/{slot.upload_id}\n{slot.content_type}\n{slot.size_bytes}"

    def upload_path(self, slot: Slot) -> str:
        return f"/api/forge-upload/{slot.upload_id}?{self._signer.query(self._message(slot), slot.expires_at)}"

    def verify(self, slot: Slot, sig: str | None) -> bool:
        return sig is not None and hmac.compare_digest(self._signer.mac(self._message(slot), slot.expires_at), sig)


def new_id() -> str:
    return secrets.token_urlsafe(18)  # 144 bits


def is_upload_id(value: str) -> bool:
    return bool(_ID.match(value))


def public_path(name: str) -> str:
    return f"/uploads/{name}"


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


class Uploads:
    """Slots and stored images, over the service's Database (every call runs off the event loop)."""

    def __init__(self, db: Database, store: ImageStore, secret: bytes, *, slot_ttl_s: int, retention_s: int) -> None:
        self.db = db
        self.store = store
        self.signer = SlotSigner(secret)
        self.slot_ttl_s = slot_ttl_s
        self.retention_s = retention_s
        self._next_purge = 0.0

    async def create_slot(self, content_type: str, size_bytes: int, now: float | None = None) -> Slot:
        now = time.time() if now is None else now
        await self.purge(now)
        slot = Slot(new_id(), content_type, size_bytes, int(now) + self.slot_ttl_s)
        await self.db.run(_insert, slot_row(slot, now, self.retention_s))
        return slot

    async def slot(self, upload_id: str) -> tuple[Slot, dict[str, Any]] | None:
        row = await self.db.run(_get, upload_id) if is_upload_id(upload_id) else None
        if row is None or row["source"] != "slot":
            return None
        return Slot(row["id"], row["content_type"], row["size_bytes"], int(row["slot_expires_at"])), row

    async def claim(self, upload_id: str, now: float | None = None) -> str | None:
        return await self.db.run(_claim, upload_id, time.time() if now is None else now)

    async def reject(self, upload_id: str) -> None:
        await self.db.run(_set_status, upload_id, "rejected", {})

    def _write(self, name: str, info: ImageInfo, data: bytes, now: float) -> dict[str, Any]:
        """Write the bytes and return the row fields describing them (file I/O and hashing: run in a thread)."""
        self.store.write(name, data)
        return stored_fields(info, data, now)

    async def keep(self, slot: Slot, info: ImageInfo, data: bytes) -> None:
        """Write the checked bytes, then mark the slot stored (a crash in between leaves no servable row)."""
        fields = await asyncio.to_thread(self._write, slot.file_name, info, data, time.time())
        await self.db.run(_set_status, slot.upload_id, "stored", fields)

    async def keep_fetched(self, info: ImageInfo, data: bytes, now: float | None = None) -> str:
        """Store an image we downloaded for `image_urls`; returns its file name."""
        now = time.time() if now is None else now
        upload_id = new_id()
        name = file_name(upload_id, info.content_type)
        fields = await asyncio.to_thread(self._write, name, info, data, now)
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
        await self.db.run(_insert, row)
        return name

    async def stored(self, name: str, now: float | None = None) -> Path | None:
        """The file of a stored, unexpired image called `name` ('<id>.<ext>'), or None."""
        upload_id = parse_file_name(name)
        if upload_id is None:
            return None
        row = await self.db.run(_get, upload_id)
        now = time.time() if now is None else now
        if row is None or row["status"] != "stored" or row["expires_at"] < now:
            return None
        if file_name(upload_id, row["content_type"]) != name:
            return None
        path = self.store.path(name)
        return path if path.is_file() else None

    async def purge(self, now: float) -> None:
        """Forget expired slots and images (at most once a minute, piggy-backing on slot creation)."""
        if now < self._next_purge:
            return
        self._next_purge = now + 60
        names = [file_name(row["id"], row["content_type"]) for row in await self.db.run(_expired, now)]
        if names:
            await asyncio.to_thread(lambda: [self.store.delete(name) for name in names])
