"""How world points map into the photos: the orthographic view model shared by inflation and the visual hull.

Views are assigned by order: 1st **front** (camera on +z), 2nd **right** side (camera on +x, the object's right as
you face its front), 3rd **back** (camera on -z), 4th **top** (camera above, the object's front at the bottom of the
image). World: +y up, the object stands on y=0 and is 1 unit tall (its height in the front photo); views are aligned
by the subject's bounding box (front/right/back: same height; top: same width as the front). Photos are treated as
orthographic (taken from far away), the usual assumption of a silhouette-based reconstruction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VIEW_ORDER = ("front", "right", "back", "top")
# (image column axis, image row axis (down), direction towards the camera), each a world unit vector
AXES: dict[str, tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]] = {
    "front": ((1, 0, 0), (0, -1, 0), (0, 0, 1)),
    "right": ((0, 0, -1), (0, -1, 0), (1, 0, 0)),
    "back": ((-1, 0, 0), (0, -1, 0), (0, 0, -1)),
    "top": ((1, 0, 0), (0, 0, 1), (0, 1, 0)),
}
WORLD_CENTRE = np.array([0.0, 0.5, 0.0])  # what the centre of every subject's bounding box shows


@dataclass(frozen=True, slots=True)
class View:
    """One photo, cropped around its subject, and where the world is in it."""

    name: str
    rgb: np.ndarray  # uint8 (h, w, 3), the crop
    mask: np.ndarray  # bool (h, w), the subject in the crop
    scale: float  # crop pixels per world unit
    centre_px: tuple[float, float]  # (column, row) of the subject's bounding-box centre, continuous coordinates

    @property
    def toward(self) -> np.ndarray:
        return np.asarray(AXES[self.name][2], float)

    @property
    def extent(self) -> tuple[float, float]:
        """World size of the subject's bounding box along the image's columns and rows."""
        ys, xs = np.nonzero(self.mask)
        return (xs.max() - xs.min() + 1) / self.scale, (ys.max() - ys.min() + 1) / self.scale

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Continuous (column, row) crop coordinates of world points (N, 3)."""
        col_axis, row_axis, _ = (np.asarray(a, float) for a in AXES[self.name])
        rel = points - WORLD_CENTRE
        return rel @ col_axis * self.scale + self.centre_px[0], rel @ row_axis * self.scale + self.centre_px[1]


def bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    """(row0, row1, col0, col1), inclusive ends."""
    ys, xs = np.nonzero(mask)
    return int(ys.min()), int(ys.max()), int(xs.min()), int(xs.max())


def crop_view(name: str, rgb: np.ndarray, mask: np.ndarray, scale_for: float | None = None) -> View:
    """Crop a photo to its subject (plus a margin) and fix its scale.

    Side views are scaled so the subject is 1 unit tall; the top view takes `scale_for`, the world width of the
    front's subject, so that its columns line up with the front's."""
    r0, r1, c0, c1 = bbox(mask)
    height, width = r1 - r0 + 1, c1 - c0 + 1
    pad = max(3, round(0.04 * max(height, width)))
    y0, y1 = max(0, r0 - pad), min(mask.shape[0], r1 + pad + 1)
    x0, x1 = max(0, c0 - pad), min(mask.shape[1], c1 + pad + 1)
    scale = float(height) if scale_for is None else width / scale_for
    centre = ((c0 + c1 + 1) / 2 - x0, (r0 + r1 + 1) / 2 - y0)
    return View(name, rgb[y0:y1, x0:x1], mask[y0:y1, x0:x1], scale, centre)


def make_views(photos: list[tuple[np.ndarray, np.ndarray]]) -> list[View]:
    """Views from (rgb, mask) photos in the documented order: front, right, back, top."""
    views: list[View] = []
    for name, (rgb, mask) in zip(VIEW_ORDER, photos, strict=False):
        if name == "top":
            views.append(crop_view(name, rgb, mask, scale_for=views[0].extent[0]))
        else:
            views.append(crop_view(name, rgb, mask))
    return views


def world_box(views: list[View], depth: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) corners of the box the subject lies in, from the views' extents (and a depth when known)."""
    width = views[0].extent[0]
    sides = {v.name: v for v in views}
    if "right" in sides:
        depth = sides["right"].extent[0]
    elif "top" in sides:
        depth = sides["top"].extent[1]
    depth = depth if depth is not None else width
    half = np.array([width / 2, 0.5, depth / 2])
    return WORLD_CENTRE - half, WORLD_CENTRE + half
