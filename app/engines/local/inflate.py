"""One photo → silhouette inflation: the outline extruded towards and away from the camera, rounded like a pillow.

The half-thickness at a point of the silhouette grows with its distance to the outline along a circular arc,
z(d) = k·sqrt(d·(2R − d)) with R the largest distance (the medial axis): a disc becomes a ball, a tall rectangle a
rounded bar. A floor of about one voxel keeps a rim at the outline, so the silhouette seen from the front is the
photo's, edge included. The result is a field over the voxel grid (> 0.5 inside) for `surface.py` to mesh: one
closed, manifold surface (no stitched front/back sheets, so no non-manifold rim edges).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from app.engines.local.projection import View
from app.engines.local.visualhull import Grid, soft_mask, view_slice

ROUNDNESS = 0.8  # k: 1 = circular cross-sections, smaller = flatter


def depth_of(view: View, roundness: float = ROUNDNESS) -> float:
    """The thickness the inflated object will have (world units), for sizing the grid."""
    dist = ndimage.distance_transform_edt(view.mask)
    return 2 * roundness * float(dist.max()) / view.scale


def half_thickness(view: View, roundness: float = ROUNDNESS) -> np.ndarray:
    """Half-thickness (world units) at every pixel of the view's crop; 0 outside the subject."""
    dist = ndimage.distance_transform_edt(view.mask)
    radius = max(float(dist.max()), 1.0)
    d = np.minimum(dist, radius)
    z = roundness * np.sqrt(d * (2 * radius - d)) / view.scale
    return ndimage.gaussian_filter(z, 1.0).astype(np.float32) * view.mask


def inflate_field(view: View, grid: Grid) -> np.ndarray:
    """min(front silhouette, |z| ≤ half-thickness(x, y)) as a soft field over the grid."""
    silhouette = view_slice(view, grid, soft_mask(view, grid.step))  # (nx, ny, 1)
    thickness = view_slice(view, grid, half_thickness(view))
    thickness = np.maximum(thickness, 1.0 * grid.step * (silhouette > 0.25))
    depth = 0.5 + (thickness - np.abs(grid.zs)[None, None, :]) / grid.step
    return np.minimum(silhouette, np.clip(depth, 0.0, 1.0)).astype(np.float32)
