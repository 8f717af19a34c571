"""Background removal without model weights: which pixels of a photo are the object.

Two cases: the image has real transparency (alpha), which is the mask; or it was shot on a plain, near-uniform
background. Then the background colour is the median of a ring of border pixels, every pixel within a tolerance of
it that is connected to the border is background (so an object's own light patches stay foreground), and large
enclosed background-coloured regions count as holes (a mug's handle). Everything works on uint8 RGBA arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

MIN_TOLERANCE, MAX_TOLERANCE = 24.0, 80.0  # RGB distance (0..255 per channel) that still counts as background
_FOUR = ndimage.generate_binary_structure(2, 1)


@dataclass(frozen=True, slots=True)
class Silhouette:
    mask: np.ndarray  # bool (H, W): foreground
    from_alpha: bool
    background: np.ndarray | None  # RGB of the background, when estimated
    border_spread: float  # 75th percentile of border pixels' distance from that colour (0 with alpha)
    tolerance: float


def has_transparency(rgba: np.ndarray) -> bool:
    """True when the alpha channel actually marks some pixels transparent (not just an all-opaque PNG)."""
    alpha = rgba[..., 3]
    transparent = np.count_nonzero(alpha < 128)
    return 0.005 * alpha.size <= transparent < alpha.size


def border_ring(height: int, width: int) -> np.ndarray:
    """bool mask of a ring about 2 % of the shorter side wide along the image edges."""
    b = max(2, round(0.02 * min(height, width)))
    ring = np.zeros((height, width), bool)
    ring[:b], ring[-b:], ring[:, :b], ring[:, -b:] = True, True, True, True
    return ring


def colour_distance(rgb: np.ndarray, colour: np.ndarray) -> np.ndarray:
    diff = rgb.astype(np.float32) - colour.astype(np.float32)
    return np.sqrt(np.einsum("...c,...c->...", diff, diff))


def segment(rgba: np.ndarray) -> Silhouette:
    """The object's mask in an RGBA image (alpha when present, else the plain-background model)."""
    if has_transparency(rgba):
        mask = clean(rgba[..., 3] >= 128)
        return Silhouette(mask, True, None, 0.0, 0.0)
    rgb = rgba[..., :3]
    ring = border_ring(*rgb.shape[:2])
    background = np.median(rgb[ring], axis=0)
    dist = colour_distance(rgb, background)
    border = dist[ring]
    spread = float(np.percentile(border, 75))
    tolerance = float(np.clip(2.5 * np.percentile(border, 90), MIN_TOLERANCE, MAX_TOLERANCE))
    near = dist <= tolerance
    labels, count = ndimage.label(near, structure=_FOUR)
    touching = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    is_bg = np.zeros(count + 1, bool)
    is_bg[touching[touching > 0]] = True
    mask = ~is_bg[labels]
    mask = _open_holes(mask, near, labels, dist, tolerance)
    return Silhouette(clean(mask), False, background, spread, tolerance)


def _open_holes(
    mask: np.ndarray, near: np.ndarray, labels: np.ndarray, dist: np.ndarray, tolerance: float
) -> np.ndarray:
    """Enclosed background-coloured regions that are large and very close to the background colour are holes."""
    enclosed = near & mask
    if not enclosed.any():
        return mask
    ys, xs = np.nonzero(mask)
    bbox_area = (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
    ids, sizes = np.unique(labels[enclosed], return_counts=True)
    means = ndimage.mean(dist, labels, ids)
    holes = ids[(sizes >= 0.01 * bbox_area) & (np.asarray(means) <= 0.4 * tolerance)]
    if len(holes):
        mask = mask & ~np.isin(labels, holes)
    return mask


def clean(mask: np.ndarray) -> np.ndarray:
    """Drop specks and one-pixel spurs (they make pinched, non-manifold silhouettes)."""
    mask = ndimage.binary_opening(mask, structure=_FOUR)
    labels, count = ndimage.label(mask)
    if count == 0:
        return mask
    sizes = np.bincount(labels.ravel())
    keep = sizes >= max(4, 0.001 * mask.size)
    keep[0] = False
    return keep[labels]


def components(mask: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(area, mask) of each 8-connected foreground component, largest first."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3), bool))
    if count == 0:
        return []
    sizes = np.bincount(labels.ravel())[1:]
    order = np.argsort(-sizes, kind="stable")
    return [(int(sizes[i]), labels == i + 1) for i in order]


def main_object(mask: np.ndarray) -> np.ndarray:
    """The largest component, its enclosed pin-holes filled (what the engines reconstruct)."""
    parts = components(mask)
    if not parts:
        return mask
    largest = parts[0][1]
    filled = ndimage.binary_fill_holes(largest)
    small_holes = filled & ~largest
    labels, count = ndimage.label(small_holes)
    if count:
        sizes = np.bincount(labels.ravel())
        tiny = sizes < max(16, 0.002 * parts[0][0])
        tiny[0] = False
        largest = largest | tiny[labels]
    return largest
