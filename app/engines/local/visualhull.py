"""2–4 photos → a visual hull: the volume whose projection lies inside every view's silhouette.

Because the views are orthographic and axis-aligned, each view's silhouette only constrains two world axes: its
soft mask is sampled once on that 2-D slice of the voxel grid and broadcast along the third (no per-voxel
projection). The field is the minimum over the views (a soft intersection), whose 0.5 level `surface.py` meshes.
With orthographic views a back view adds colour but no shape (it mirrors the front silhouette).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from app.engines.local.projection import AXES, View

# blur of a silhouette, in voxels: its 0→1 ramp must span more than one voxel, or marching cubes, interpolating
# between clipped values, lays a steep side down in terraces
SOFT_VOXELS = 0.9


@dataclass(frozen=True, slots=True)
class Grid:
    """Voxel centres along x, y, z (world units) and the voxel size."""

    xs: np.ndarray
    ys: np.ndarray
    zs: np.ndarray
    step: float

    @property
    def origin(self) -> np.ndarray:
        return np.array([self.xs[0], self.ys[0], self.zs[0]])

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.xs), len(self.ys), len(self.zs)


def make_grid(low: np.ndarray, high: np.ndarray, cells: int, pad: int = 2) -> Grid:
    """A cubic-voxel grid with `cells` voxels along the box's longest side, `pad` empty voxels around it."""
    step = float(np.max(high - low)) / cells
    axes = []
    for lo, hi in zip(low, high, strict=True):
        n = int(np.ceil((hi - lo) / step)) + 2 * pad
        centre = (lo + hi) / 2
        axes.append(centre + (np.arange(n) - (n - 1) / 2) * step)
    return Grid(axes[0], axes[1], axes[2], step)


def soft_mask(view: View, step: float) -> np.ndarray:
    """The view's mask as floats, smoothed over about a voxel so the 0.5 level is the silhouette edge."""
    sigma = max(0.5, SOFT_VOXELS * view.scale * step)
    return ndimage.gaussian_filter(view.mask.astype(np.float32), sigma)


def _axis(vector: tuple[float, float, float]) -> tuple[int, float]:
    k = int(np.argmax(np.abs(vector)))
    return k, float(np.sign(vector[k]))


def view_slice(view: View, grid: Grid, soft: np.ndarray) -> np.ndarray:
    """The view's soft silhouette over the grid, shaped to broadcast against (nx, ny, nz)."""
    col_vec, row_vec, _ = AXES[view.name]
    (ck, cs), (rk, rs) = _axis(col_vec), _axis(row_vec)
    coords = (grid.xs, grid.ys, grid.zs)
    centre = (0.0, 0.5, 0.0)
    cols = cs * (coords[ck] - centre[ck]) * view.scale + view.centre_px[0] - 0.5  # pixel-centre coordinates
    rows = rs * (coords[rk] - centre[rk]) * view.scale + view.centre_px[1] - 0.5
    rr, cc = np.meshgrid(rows, cols, indexing="ij")
    table = ndimage.map_coordinates(soft, [rr.ravel(), cc.ravel()], order=1, mode="constant", cval=0.0)
    table = table.reshape(len(rows), len(cols))  # indexed [row axis, column axis]
    shape = [1, 1, 1]
    shape[rk], shape[ck] = len(rows), len(cols)
    if rk > ck:
        return table.T.reshape(shape)
    return table.reshape(shape)


def hull_field(views: list[View], grid: Grid) -> np.ndarray:
    """min over views of their soft silhouettes: > 0.5 inside the visual hull."""
    field = np.ones(grid.shape, np.float32)
    for view in views:
        field = np.minimum(field, view_slice(view, grid, soft_mask(view, grid.step)))
    return field
