"""The photo pre-check at submit time: a first view that will not reconstruct is refused, with every issue found
(the analysis itself is the embedded engine's, `app.engines.local.precheck`; CPU work, run in a thread)."""

from __future__ import annotations

import asyncio
import io

import numpy as np
from PIL import Image

from app.errors import Invalid
from app.schemas import PhotoIssue

SKIP_ADVICE = "(Or send skip_validation: true to generate anyway.)"
PRECHECK_SIDE = 1024  # the pre-check looks at 512 px; decode a little larger for a clean downscale


def issues_of(data: bytes) -> list[PhotoIssue]:
    from app.engines.local.photo import decode_photo
    from app.engines.local.precheck import check_photo

    rgba = decode_photo(data, PRECHECK_SIDE)
    with Image.open(io.BytesIO(data)) as image:  # the original size decides "low resolution"
        size = image.size
    return [PhotoIssue(code=i.code, message=i.message) for i in check_photo(np.asarray(rgba), size)]


async def precheck(data: bytes, position: int) -> None:
    """Invalid photo_rejected (with every issue) when photo `position` will not reconstruct."""
    issues = await asyncio.to_thread(issues_of, data)
    if issues:
        raise Invalid(
            "photo_rejected",
            f"Photo {position} cannot be used: {issues[0].message} " + SKIP_ADVICE,
            issues=[i.model_dump() for i in issues],
            image=position,
        )
