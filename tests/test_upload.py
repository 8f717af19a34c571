"""Upload slots through the whole application (in-process): the happy path, and every bad upload refused with
nothing kept."""

from __future__ import annotations

import asyncio
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from app.config import Settings
from app.photos.images import inspect_image, sniff
from app.photos.uploads import Uploads
from app.store import open_store
from app.store.files import file_store
from tests.api import assert_error
from tests.images import clean_photo, encode
from tests.inprocess import InProcessServer
from tests.objectstore import stored_names

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

PNG = encode(clean_photo())
JPEG = encode(clean_photo(), "JPEG", quality=90)


def slot_for(http: httpx.Client, content_type: str, size: int) -> dict:
    response = http.post("/api/forge-upload", json={"content_type": content_type, "size_bytes": size})
    assert response.status_code == 201, response.text
    return response.json()


def put(http: httpx.Client, slot: dict, data: bytes, content_type: str | None = None) -> httpx.Response:
    headers = dict(slot["headers"]) | ({"content-type": content_type} if content_type else {})
    return http.request(slot["method"], slot["upload_url"], content=data, headers=headers)


def stored_files(server: InProcessServer) -> list[str]:
    return sorted(stored_names(server.settings, "uploads"))


def assert_nothing_kept(http: httpx.Client, server: InProcessServer, slot: dict) -> None:
    name = urlsplit(slot["public_url"]).path.rsplit("/", 1)[-1]
    assert name not in stored_names(server.settings, "uploads")
    assert_error(http.get(slot["public_url"]), 404, "image_not_found")


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A few hundred bytes claiming 3.6 gigapixels (1-bit grey, all zero)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = compressor.compress(row * 64) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# ------------------------------------------------------------------------------------------------ happy path


def test_upload_then_serve(http: httpx.Client, server: InProcessServer) -> None:
    slot = slot_for(http, "image/png", len(PNG))
    assert set(slot) == {"upload_url", "method", "headers", "public_url", "expires_in"}
    assert slot["method"] == "PUT" and slot["headers"] == {"content-type": "image/png"}
    assert 0 < slot["expires_in"] <= 600
    query = urlsplit(slot["upload_url"]).query
    assert "expires=" in query and "sig=" in query
    receipt = put(http, slot, PNG)
    assert receipt.status_code == 200, receipt.text
    body = receipt.json()
    assert body["public_url"] == slot["public_url"]
    assert (body["width"], body["height"], body["content_type"]) == (640, 480, "image/png")
    served = http.get(slot["public_url"])
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"


def test_jpeg_and_webp_upload(http: httpx.Client) -> None:
    webp = encode(clean_photo(), "WEBP", quality=80)
    for content_type, data in (("image/jpeg", JPEG), ("image/webp", webp)):
        slot = slot_for(http, content_type, len(data))
        assert put(http, slot, data).status_code == 200
        assert http.get(slot["public_url"]).content == data


# ------------------------------------------------------------------------------------------------ bad uploads


def test_a_reused_slot_is_refused(http: httpx.Client) -> None:
    slot = slot_for(http, "image/png", len(PNG))
    assert put(http, slot, PNG).status_code == 200
    body = assert_error(put(http, slot, PNG), 403, "slot_used")
    assert "new slot" in body["message"]


def test_a_put_larger_than_declared_is_refused(http: httpx.Client, server: InProcessServer) -> None:
    slot = slot_for(http, "image/png", len(PNG) - 100)
    assert_error(put(http, slot, PNG), 413, "upload_too_large")  # Content-Length says so: refused unread
    assert_nothing_kept(http, server, slot)

    def chunks() -> Iterator[bytes]:  # chunked, no Content-Length: the stream is counted
        for i in range(0, len(PNG), 4096):
            yield PNG[i : i + 4096]

    slot = slot_for(http, "image/png", len(PNG) - 100)
    assert_error(http.put(slot["upload_url"], content=chunks(), headers=slot["headers"]), 413, "upload_too_large")
    assert_nothing_kept(http, server, slot)


def test_a_put_smaller_than_declared_is_refused(http: httpx.Client, server: InProcessServer) -> None:
    slot = slot_for(http, "image/png", len(PNG) + 10)
    assert_error(put(http, slot, PNG), 400, "size_mismatch")
    assert_nothing_kept(http, server, slot)


def test_a_png_declared_as_jpeg_is_refused(http: httpx.Client, server: InProcessServer) -> None:
    slot = slot_for(http, "image/jpeg", len(PNG))
    body = assert_error(put(http, slot, PNG), 400, "content_type_mismatch")
    assert "PNG" in body["message"] and "image/png" in body["message"]
    assert_nothing_kept(http, server, slot)


def test_a_text_file_named_png_is_refused(http: httpx.Client, server: InProcessServer) -> None:
    text = b"this is not a picture, just text in a file called photo.png\n" * 10
    slot = slot_for(http, "image/png", len(text))
    assert_error(put(http, slot, text), 400, "not_an_image")
    assert_nothing_kept(http, server, slot)


def test_a_decompression_bomb_is_refused(http: httpx.Client, server: InProcessServer) -> None:
    bomb = png_bomb()
    assert len(bomb) < 10_000
    slot = slot_for(http, "image/png", len(bomb))
    body = assert_error(put(http, slot, bomb), 400, "image_too_many_pixels")
    assert "megapixels" in body["message"]
    assert_nothing_kept(http, server, slot)
    big = png_bomb(8000, 8000)  # under Pillow's own guard, over our 40-megapixel limit
    slot = slot_for(http, "image/png", len(big))
    assert "8000×8000" in assert_error(put(http, slot, big), 400, "image_too_many_pixels")["message"]
    assert_nothing_kept(http, server, slot)


def test_a_truncated_image_is_refused(http: httpx.Client, server: InProcessServer) -> None:
    for content_type, data in (("image/jpeg", JPEG[: len(JPEG) * 2 // 3]), ("image/png", PNG[: len(PNG) // 2])):
        slot = slot_for(http, content_type, len(data))
        assert_error(put(http, slot, data), 400, "image_corrupt")
        assert_nothing_kept(http, server, slot)


def test_a_wrong_content_type_header_leaves_the_slot_usable(http: httpx.Client) -> None:
    slot = slot_for(http, "image/png", len(PNG))
    assert_error(put(http, slot, PNG, content_type="image/jpeg"), 400, "content_type_mismatch")
    assert put(http, slot, PNG).status_code == 200


def test_forged_and_unknown_slots_are_refused(http: httpx.Client) -> None:
    slot = slot_for(http, "image/png", len(PNG))
    forged = slot["upload_url"].replace("sig=", "sig=0")
    assert_error(http.put(forged, content=PNG, headers=slot["headers"]), 403, "slot_invalid")
    later = slot["upload_url"].replace("expires=", "expires=9")
    assert_error(http.put(later, content=PNG, headers=slot["headers"]), 403, "slot_invalid")
    unknown = "/api/forge-upload/AAAAAAAAAAAAAAAAAAAAAAAA?expires=1&sig=00"
    assert_error(http.put(unknown, content=PNG, headers=slot["headers"]), 404, "slot_not_found")


def test_slot_requests_are_validated(http: httpx.Client) -> None:
    too_big = http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": 8 * 1024 * 1024 + 1})
    body = assert_error(too_big, 413, "image_too_large")
    assert "8 MiB" in body["message"]
    gif = http.post("/api/forge-upload", json={"content_type": "image/gif", "size_bytes": 100})
    assert "content_type" in assert_error(gif, 400, "invalid_field")["message"]
    assert_error(http.post("/api/forge-upload", json={"content_type": "image/png"}), 400, "invalid_field")
    assert_error(http.get("/uploads/nothing-here.png"), 404, "image_not_found")


def test_expired_slots_and_rate_limits(tmp_path: Path) -> None:
    # an hour-long window: with the default minute, a window boundary inside the 2 s sleep reset the count (flaky)
    env = {
        "FORGE402_UPLOAD_SLOT_TTL_SECONDS": "1",
        "FORGE402_RATE_LIMIT_UPLOAD": "2",
        "FORGE402_RATE_LIMIT_WINDOW_SECONDS": "3600",
    }
    with InProcessServer(tmp_path / "short", env) as short, short.client() as http:
        slot = slot_for(http, "image/png", len(PNG))
        time.sleep(2.1)
        body = assert_error(put(http, slot, PNG), 403, "slot_expired")
        assert "expired" in body["message"]
        assert stored_files(short) == []
        slot_for(http, "image/png", len(PNG))
        limited = http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": 10})
        assert_error(limited, 429, "rate_limited")
        assert int(limited.headers["retry-after"]) >= 1


# ------------------------------------------------------------------------------------------------ units


def test_stored_images_expire_and_are_purged(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret="k" * 32, upload_slot_ttl_seconds=60, upload_retention_seconds=120)

    async def scenario() -> None:
        store = open_store(settings.database, tmp_path)
        await store.open()
        try:
            await expire_and_purge(Uploads(store.uploads, file_store(settings.blob_spec), settings))
        finally:
            await store.close()

    async def expire_and_purge(uploads: Uploads) -> None:
        now = time.time()
        slot = await uploads.create_slot("image/png", len(PNG), now=now)
        assert await uploads.claim(slot.upload_id, now=now) is None
        assert await uploads.claim(slot.upload_id, now=now) == "used"
        await uploads.keep(slot, inspect_image(PNG, "image/png", 40_000_000), PNG)
        assert await uploads.stored(slot.file_name, now=now + 100) is not None
        assert await uploads.stored(slot.file_name, now=now + 200) is None  # past slot expiry + retention
        await uploads.purge(now + 200)
        assert not await uploads.files.image_exists(slot.file_name)

    asyncio.run(scenario())


def test_sniff_knows_the_three_formats() -> None:
    assert sniff(PNG) == "image/png" and sniff(JPEG) == "image/jpeg"
    assert sniff(encode(clean_photo(), "WEBP")) == "image/webp"
    assert sniff(b"GIF89a....") is None
