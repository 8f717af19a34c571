"""What every image we take (uploaded or fetched) must be: a whole PNG, JPEG or WebP, of the declared type, under a
pixel-count limit; and how a stored image is named (`<id>.<ext>`)."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image

from app.errors import Invalid

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
_FILE = re.compile(r"^([A-Za-z0-9_-]{22,64})\.(png|jpg|webp)$")


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
        raise Invalid("not_an_image", "The file is not a PNG, JPEG or WebP image; export it as one of those.")
    if declared is not None and kind != declared:
        raise Invalid(
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
                    raise Invalid(
                        "image_too_many_pixels",
                        f"The image claims {width}×{height} pixels; the limit is {max_pixels // 1_000_000} megapixels. "
                        "Resize it (2048 px on the longer side is plenty).",
                    )
                image.load()
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(
            "image_too_many_pixels", f"The image is larger than {max_pixels // 1_000_000} megapixels; resize it."
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise Invalid(
            "image_corrupt", "The image is truncated or corrupt and cannot be decoded; export it again."
        ) from None
    return ImageInfo(kind, width, height)


def file_name(upload_id: str, content_type: str) -> str:
    return f"{upload_id}.{EXTENSIONS[content_type]}"


def parse_file_name(name: str) -> str | None:
    """The upload id in '<id>.<ext>', or None."""
    match = _FILE.match(name)
    return match.group(1) if match else None


def media_type(name: str) -> str:
    """The content type of a stored image, from its name."""
    ext = name.rsplit(".", 1)[-1]
    return next(ct for ct, e in EXTENSIONS.items() if e == ext)
