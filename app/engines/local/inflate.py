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
SMOOTH_FRACTION = 0.03  # blur of the distance map, as a fraction of the largest distance
RAMP_VOXELS = 2.0  # width of the field's 0→1 ramp across the surface: wider than a voxel, so no edge sees it clipped


def depth_of(view: View, roundness: float = ROUNDNESS) -> float:
    """The thickness the inflated object will have (world units), for sizing the grid."""
    dist = ndimage.distance_transform_edt(view.mask)
    return 2 * roundness * float(dist.max()) / view.scale


def half_thickness(view: View, roundness: float = ROUNDNESS) -> np.ndarray:
    """Half-thickness (world units) at every pixel of the view's crop; 0 outside the subject."""
    dist = ndimage.distance_transform_edt(view.mask)
    radius = max(float(dist.max()), 1.0)
    # the distance to a pixel outline carries the outline's pixel steps inwards as radial streaks, which the
    # steep rim of the profile turns into ripples: blur them away over a few percent of the subject's size
    dist = ndimage.gaussian_filter(dist, max(1.0, SMOOTH_FRACTION * radius))
    d = np.clip(dist, 0.0, radius)
    z = roundness * np.sqrt(d * (2 * radius - d)) / view.scale
    return z.astype(np.float32) * view.mask


def slope_factor(thickness: np.ndarray, scale: float) -> np.ndarray:
    """sqrt(1 + |∇z|²) of a half-thickness map (world units over pixels `1/scale` apart): how much farther the
    surface lies along z than along its normal."""
    gy, gx = np.gradient(thickness * scale)
    return np.sqrt(1.0 + gx * gx + gy * gy).astype(np.float32)


def inflate_field(view: View, grid: Grid) -> np.ndarray:
    """min(front silhouette, |z| ≤ half-thickness(x, y)) as a soft field over the grid.

    The depth ramp is a distance to the surface along its normal (the z gap divided by the slope factor), not
    along z: a ramp measured along z would be many voxels wide where the surface is steep, and marching cubes,
    interpolating across the clipped ramp there, would lay the surface down in staircase terraces."""
    silhouette = view_slice(view, grid, soft_mask(view, grid.step))  # (nx, ny, 1)
    half = half_thickness(view)
    thickness = view_slice(view, grid, half)
    slope = view_slice(view, grid, slope_factor(half, view.scale))
    thickness = np.maximum(thickness, 1.0 * grid.step * (silhouette > 0.25))
    depth = 0.5 + (thickness - np.abs(grid.zs)[None, None, :]) / (RAMP_VOXELS * grid.step * np.maximum(slope, 1.0))
    return np.minimum(silhouette, np.clip(depth, 0.0, 1.0)).astype(np.float32)
