"""Bake a source's colours onto a low-poly mesh's own texture.

The low-poly mesh gets a UV atlas (xatlas); every texel its triangles cover is mapped back to a 3D point, which
takes the colour of the nearest point of a dense, coloured sampling of the source surface (KD-tree). Texels no
triangle covers are filled from the nearest covered one, so bilinear filtering never bleeds black at seams.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

SAMPLES = 400_000


@dataclass(frozen=True, slots=True)
class Baked:
    positions: np.ndarray  # split at UV seams
    normals: np.ndarray
    faces: np.ndarray
    uvs: np.ndarray
    texture_png: bytes


def surface_samples(
    positions: np.ndarray, faces: np.ndarray, colors: np.ndarray, count: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """`count` points spread over the surface by area, with barycentric-interpolated vertex colours (0–255)."""
    tri = positions[faces]
    area = np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(faces), size=count, p=area / area.sum())
    r1, r2 = rng.random(count), rng.random(count)
    flip = r1 + r2 > 1
    r1[flip], r2[flip] = 1 - r1[flip], 1 - r2[flip]
    bary = np.stack([1 - r1 - r2, r1, r2], axis=1)
    points = np.einsum("ij,ijk->ik", bary, tri[chosen])
    cols = np.einsum("ij,ijk->ik", bary, colors[faces[chosen]].astype(np.float64))
    return points, cols


def rasterize_uv(uvs: np.ndarray, faces: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Texels covered by each UV triangle: (texel index, triangle, barycentrics), texel centres, small overlap."""
    p = uvs * size - 0.5  # texel centres at integer coordinates
    tri = p[faces]
    lo = np.floor(tri.min(axis=1)).astype(np.int64)
    hi = np.ceil(tri.max(axis=1)).astype(np.int64)
    extent = np.maximum((hi - lo).max(axis=1) + 1, 1)
    out_pix, out_tri, out_bary = [], [], []
    box = 1
    while True:
        sel = np.nonzero((extent <= box) & (extent > box // 2))[0] if box > 1 else np.nonzero(extent <= 1)[0]
        if len(sel):
            oy, ox = np.mgrid[0:box, 0:box]
            px = lo[sel, 0, None] + ox.ravel()[None]
            py = lo[sel, 1, None] + oy.ravel()[None]
            a, b, c = tri[sel, 0], tri[sel, 1], tri[sel, 2]
            det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
            det = np.where(np.abs(det) < 1e-12, 1e-12, det)[:, None]
            w0 = (
                (b[:, 1, None] - c[:, 1, None]) * (px - c[:, 0, None])
                + (c[:, 0, None] - b[:, 0, None]) * (py - c[:, 1, None])
            ) / det
            w1 = (
                (c[:, 1, None] - a[:, 1, None]) * (px - c[:, 0, None])
                + (a[:, 0, None] - c[:, 0, None]) * (py - c[:, 1, None])
            ) / det
            w2 = 1 - w0 - w1
            inside = (w0 >= -0.05) & (w1 >= -0.05) & (w2 >= -0.05) & (px >= 0) & (py >= 0) & (px < size) & (py < size)
            ti, k = np.nonzero(inside)
            out_pix.append(py[ti, k] * size + px[ti, k])
            out_tri.append(sel[ti])
            bary = np.stack([w0[ti, k], w1[ti, k], w2[ti, k]], axis=1)
            out_bary.append(np.clip(bary, 0, None) / np.clip(bary, 0, None).sum(axis=1, keepdims=True))
        if box >= extent.max():
            break
        box *= 2
    return np.concatenate(out_pix), np.concatenate(out_tri), np.concatenate(out_bary)


def bake(
    low_positions: np.ndarray,
    low_normals: np.ndarray,
    low_faces: np.ndarray,
    src_positions: np.ndarray,
    src_faces: np.ndarray,
    src_colors: np.ndarray,
    size: int = 1024,
) -> Baked:
    import xatlas
    from scipy import ndimage
    from scipy.spatial import cKDTree

    vmap, faces, uvs = xatlas.parametrize(low_positions.astype(np.float32), low_faces.astype(np.uint32))
    positions, normals, faces = low_positions[vmap], low_normals[vmap], faces.astype(np.int64)
    pix, tri, bary = rasterize_uv(uvs, faces, size)
    points = np.einsum("ij,ijk->ik", bary, positions[faces[tri]])
    samples, colours = surface_samples(src_positions, src_faces, src_colors, SAMPLES)
    _, nearest = cKDTree(samples).query(points, workers=1)
    atlas = np.zeros((size * size, 4), np.float64)
    atlas[pix] = colours[nearest]
    covered = np.zeros(size * size, bool)
    covered[pix] = True
    _, (iy, ix) = ndimage.distance_transform_edt(~covered.reshape(size, size), return_indices=True)
    image = atlas.reshape(size, size, 4)[iy, ix]  # rows are v (glTF's v runs down the image)
    image[..., 3] = 255
    buf = io.BytesIO()
    Image.fromarray(np.clip(np.round(image), 0, 255).astype(np.uint8)[..., :3], "RGB").save(buf, format="PNG")
    return Baked(positions, normals, faces, uvs.astype(np.float32), buf.getvalue())
