"""Test photos the tests make themselves: drawn objects on plain backgrounds (and their bad twins), and views of a
procedural 3D model rendered from the front, right, back and top."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

BACKGROUND = (228, 230, 226)


def _shaded_body(draw_size: tuple[int, int], box: tuple[int, int, int, int], colour: Sequence[int]) -> np.ndarray:
    """RGB of a cylinder-ish body lit from the left: brightness follows a cosine across the box."""
    w, h = draw_size
    x0, _, x1, _ = box
    xs = np.clip((np.arange(w) - x0) / max(1, x1 - x0), 0, 1)
    light = 0.55 + 0.45 * np.cos((xs - 0.35) * np.pi)
    rgb = np.asarray(colour, np.float32)[None, None, :] * light[None, :, None]
    return np.broadcast_to(rgb, (h, w, 3))


def draw_mug(
    size: tuple[int, int] = (640, 480),
    centre: tuple[float, float] = (0.5, 0.52),
    scale: float = 1.0,
    colour: Sequence[int] = (196, 58, 42),
    background: Sequence[int] = BACKGROUND,
    canvas: np.ndarray | None = None,
) -> np.ndarray:
    """A red mug with a handle and a stripe, shaded, on a plain background (uint8 RGB, H×W×3)."""
    w, h = size
    img = np.empty((h, w, 3), np.float32)
    img[:] = background if canvas is None else canvas
    bw, bh = 0.28 * w * scale, 0.52 * h * scale
    cx, cy = centre[0] * w, centre[1] * h
    box = (int(cx - bw / 2), int(cy - bh / 2), int(cx + bw / 2), int(cy + bh / 2))
    layer = Image.new("L", size, 0)
    d = ImageDraw.Draw(layer)
    d.rounded_rectangle(box, radius=int(0.12 * bw), fill=255)
    hr = 0.42 * bh / 2
    hbox = (int(box[2] - 0.25 * hr), int(cy - hr), int(box[2] + 1.35 * hr), int(cy + hr))
    d.ellipse(hbox, outline=255, width=max(3, int(0.35 * hr)))
    body = np.asarray(layer) > 127
    shaded = _shaded_body(size, box, colour)
    img[body] = shaded[body]
    stripe = Image.new("L", size, 0)
    ImageDraw.Draw(stripe).rectangle((box[0], int(cy - 0.06 * bh), box[2], int(cy + 0.02 * bh)), fill=255)
    band = (np.asarray(stripe) > 127) & body
    img[band] = shaded[band] * np.array([1.25, 1.25, 1.25]) + 40
    text = Image.new("L", size, 0)
    ImageDraw.Draw(text).text((box[0] + bw * 0.25, cy + 0.12 * bh), "forge", fill=255)
    img[(np.asarray(text) > 127) & body] = (250, 240, 220)
    rng = np.random.default_rng(7)
    img += rng.normal(0, 2.0, img.shape)  # a little sensor noise
    return np.clip(img, 0, 255).astype(np.uint8)


def clean_photo() -> np.ndarray:
    return draw_mug()


def low_contrast_photo() -> np.ndarray:
    """A white mug on an off-white background: its shaded side melts into the background."""
    return draw_mug(colour=(250, 250, 250), background=(228, 230, 226))


def blurred_photo() -> np.ndarray:
    return np.asarray(Image.fromarray(draw_mug()).filter(ImageFilter.GaussianBlur(6)))


def dark_photo() -> np.ndarray:
    return (draw_mug().astype(np.float32) * 0.12).astype(np.uint8)


def busy_photo() -> np.ndarray:
    rng = np.random.default_rng(3)
    tiles = rng.integers(0, 255, (12, 16, 3)).astype(np.uint8)
    canvas = np.asarray(Image.fromarray(tiles).resize((640, 480), Image.Resampling.NEAREST)).astype(np.float32)
    return draw_mug(canvas=canvas)


def two_objects_photo() -> np.ndarray:
    left = draw_mug(centre=(0.27, 0.52), scale=0.8)
    return draw_mug(centre=(0.72, 0.52), scale=0.8, colour=(40, 90, 180), canvas=left.astype(np.float32))


def tiny_subject_photo() -> np.ndarray:
    return draw_mug(scale=0.16)


def empty_photo() -> np.ndarray:
    img = np.empty((480, 640, 3), np.uint8)
    img[:] = BACKGROUND
    return img


def encode(rgb: np.ndarray, fmt: str = "PNG", **options: object) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format=fmt, **options)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------- multiview renders

VIEW_DIRECTIONS = {  # the documented order: front, right, back, top (camera direction from the object)
    "front": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),
    "right": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
    "back": ((0.0, 0.0, -1.0), (0.0, 1.0, 0.0)),
    "top": ((0.0, 1.0, 0.0), (0.0, 0.0, -1.0)),
}


def model_groups(prompt: str = "a robot", seed: int = 3) -> list:
    """A procedural model from the text engine (material, mesh) groups."""
    from app.engines.local.text import build, plan
    from app.tiers import TIERS

    p = plan(prompt, TIERS["draft"], seed)
    return build(p, p.detail)


def render_views(
    groups: list, names: Sequence[str], size: int = 480, background: Sequence[int] = BACKGROUND
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(RGB photo on a plain background, true mask) per view, orthographic, like photos from far away."""
    from app.engines.local.thumbnail import render_view

    out = []
    for name in names:
        direction, up = VIEW_DIRECTIONS[name]
        rgba, mask = render_view(groups, direction, size, ssaa=2, up=up, margin=0.25)
        a = rgba[..., 3:4].astype(np.float32) / 255
        rgb = rgba[..., :3] * a + np.asarray(background, np.float32) * (1 - a)
        out.append((np.clip(rgb, 0, 255).astype(np.uint8), mask))
    return out


def silhouette_iou(a: np.ndarray, b: np.ndarray, size: int = 256) -> float:
    """IoU of two masks after cropping each to its bounding box and resizing to a common frame (scale-free)."""

    def norm(mask: np.ndarray) -> np.ndarray:
        ys, xs = np.nonzero(mask)
        crop = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        img = Image.fromarray(crop.astype(np.uint8) * 255).resize((size, size), Image.Resampling.BILINEAR)
        return np.asarray(img) > 127

    na, nb = norm(a), norm(b)
    return float((na & nb).sum() / max(1, (na | nb).sum()))
