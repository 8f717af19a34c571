"""Photo pre-check: is this photo usable for photo→3D? Classical image analysis, no model weights.

    check_photo(rgba, original_size) -> list[Issue]      # empty = usable

Checks, in order (a failed early check makes the later ones meaningless, so they are skipped):
resolution → exposure (too dark) → background separability (busy background) → subject (none, several, too small,
washed out) → sharpness (blur: variance of the Laplacian at the subject, normalised by its contrast) → contrast of
the outline against the background.
The photo is analysed at most `ANALYSIS_SIDE` pixels on its longer side, so thresholds do not depend on the camera.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from app.engines.local.silhouette import Silhouette, border_ring, colour_distance, components, segment

ANALYSIS_SIDE = 512
MIN_SHORT_SIDE = 256  # pixels of the original
DARK_P95 = 60.0  # 95th percentile of luma (0..255) below this: too dark
BUSY_SPREAD = 40.0  # border colour spread (RGB distance) above this: busy
BUSY_EDGES = 0.12  # share of border pixels on a strong edge above this: busy
EDGE_STRENGTH = 24.0  # luma gradient (Sobel / 4) that counts as an edge
MIN_SUBJECT = 0.001  # foreground share of the image below this: no subject
MAX_SUBJECT = 0.92  # above this: nothing separates from the background
SMALL_SUBJECT = 0.03  # largest object's share of the image below this: too small
SECOND_OBJECT = 0.2  # another component at least this share of the largest: several objects
WASHED_OUT = 0.6  # share of the subject's pixels clipped white above this: overexposed
BLUR_SHARPNESS = 0.002  # normalised Laplacian variance below this: blurry
LOW_CONTRAST = 1.5  # outline pixels (lower quartile) closer to the background colour than this × the tolerance


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    message: str


def luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.2126 + rgb[..., 1] * 0.7152 + rgb[..., 2] * 0.0722


def analysis_copy(rgba: np.ndarray) -> np.ndarray:
    h, w = rgba.shape[:2]
    scale = ANALYSIS_SIDE / max(h, w)
    if scale >= 1:
        return rgba
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(Image.fromarray(rgba, "RGBA").resize(size, Image.Resampling.BOX))


def too_small(width: int, height: int) -> Issue | None:
    if min(width, height) >= MIN_SHORT_SIDE:
        return None
    return Issue(
        "low_resolution",
        f"The photo is only {width}×{height} pixels. Send at least {MIN_SHORT_SIDE * 2} pixels on the shorter side "
        "(the camera's original file is best).",
    )


def too_dark(y: np.ndarray) -> Issue | None:
    if np.percentile(y, 95) >= DARK_P95:
        return None
    return Issue(
        "too_dark",
        "The photo is too dark to make out the object's shape. Reshoot in bright, even light (daylight by a window "
        "works well) against a light background.",
    )


def busy_background(rgba: np.ndarray, y: np.ndarray, spread: float) -> Issue | None:
    ring = border_ring(*y.shape)
    gx, gy = ndimage.sobel(y, axis=1) / 4, ndimage.sobel(y, axis=0) / 4
    edges = float(np.mean(np.hypot(gx, gy)[ring] > EDGE_STRENGTH))
    if spread <= BUSY_SPREAD and edges <= BUSY_EDGES:
        return None
    return Issue(
        "busy_background",
        "The background is too busy to tell the object apart from it. Put the object in front of a plain, evenly "
        "coloured wall, sheet or large paper that contrasts with it, and reshoot.",
    )


def subject_issues(mask: np.ndarray, y: np.ndarray) -> list[Issue]:
    total = mask.size
    parts = [(area, m) for area, m in components(mask) if area >= 0.0005 * total]
    fg_share = sum(area for area, _ in parts) / total
    if not parts or fg_share < MIN_SUBJECT or fg_share > MAX_SUBJECT:
        return [
            Issue(
                "no_subject",
                "We could not find a clear object in the photo. Centre one object on a plain background that "
                "contrasts with it, filling about half of the frame.",
            )
        ]
    issues = []
    largest = parts[0][0]
    others = [area for area, _ in parts[1:] if area >= SECOND_OBJECT * largest]
    if others:
        issues.append(
            Issue(
                "multiple_objects",
                f"We see {len(others) + 1} separate objects. Photograph one object at a time, alone on a plain "
                "background.",
            )
        )
    if largest / total < SMALL_SUBJECT:
        issues.append(
            Issue(
                "subject_too_small",
                f"The object fills only {100 * largest / total:.1f} % of the photo. Move closer (or crop) so it fills "
                "about half of the frame.",
            )
        )
    subject = parts[0][1]
    if np.mean(y[subject] >= 250) > WASHED_OUT:
        issues.append(
            Issue(
                "overexposed",
                "The object is washed out (overexposed). Reshoot with softer light or lower exposure so its colours "
                "and edges show.",
            )
        )
    return issues


def sharpness(y: np.ndarray, subject: np.ndarray) -> float:
    """Variance of the Laplacian around the subject (its outline included), over its contrast squared."""
    ys, xs = np.nonzero(subject)
    pad = max(4, round(0.05 * max(y.shape)))
    y0, y1 = max(0, ys.min() - pad), min(y.shape[0], ys.max() + pad + 1)
    x0, x1 = max(0, xs.min() - pad), min(y.shape[1], xs.max() + pad + 1)
    region = y[y0:y1, x0:x1] / 255.0
    lo, hi = np.percentile(region, [1, 99])
    contrast = max(float(hi - lo), 0.05)
    lap = ndimage.laplace(region)
    return float(lap.var() / contrast**2)


def blurry(y: np.ndarray, subject: np.ndarray) -> Issue | None:
    if sharpness(y, subject) >= BLUR_SHARPNESS:
        return None
    return Issue(
        "blurry",
        "The photo is blurry. Hold the camera steady (or rest it on something), tap the object to focus, and "
        "reshoot in good light.",
    )


def low_contrast(rgb: np.ndarray, silhouette: Silhouette) -> Issue | None:
    """Is the outline where the object really ends? On a clear background the pixels just inside the mask are far
    from the background colour; when the object is close to it, the mask stops wherever the shading happens to
    cross the tolerance, so its outline sits just above it, and the shape is lost."""
    if silhouette.background is None or not silhouette.mask.any():
        return None
    outline = silhouette.mask & ~ndimage.binary_erosion(silhouette.mask, iterations=2)
    distance = colour_distance(rgb[outline], silhouette.background)
    if not len(distance) or np.percentile(distance, 25) >= LOW_CONTRAST * silhouette.tolerance:
        return None
    return Issue(
        "low_contrast",
        "The object is too close in colour to the background to find its outline. Reshoot it against a plain "
        "background of a clearly different colour or brightness (a light object on a dark one, or the reverse).",
    )


def check_photo(rgba: np.ndarray, original_size: tuple[int, int] | None = None) -> list[Issue]:
    """Everything wrong with the photo for reconstruction, most fundamental first (empty list = usable)."""
    h, w = rgba.shape[:2]
    width, height = original_size or (w, h)
    if (issue := too_small(width, height)) is not None:
        return [issue]
    small = analysis_copy(rgba)
    y = luma(small[..., :3].astype(np.float32))
    silhouette = segment(small)
    if not silhouette.from_alpha:
        if (issue := too_dark(y)) is not None:
            return [issue]
        if (issue := busy_background(small, y, silhouette.border_spread)) is not None:
            return [issue]
    issues = subject_issues(silhouette.mask, y)
    if any(i.code == "no_subject" for i in issues):
        return issues
    subject = components(silhouette.mask)[0][1]
    if (issue := blurry(y, subject)) is not None:
        issues.append(issue)  # a blurred outline is low in contrast too: say the one that caused it
    elif (issue := low_contrast(small[..., :3], silhouette)) is not None:
        issues.append(issue)
    return issues
