"""A soft occupancy field → a closed triangle mesh within a face budget.

Marching cubes (scikit-image) at the 0.5 level of the zero-padded field gives a watertight surface; it is oriented
outwards (positive signed volume), Taubin-smoothed (the voxel grid's staircase melts, the volume and silhouette
stay), decimated with quadric collapses (fast_simplification, agg=3) to the face target — collapses go first where
the surface is flat, so the faces left describe the silhouette's detail — with vertex clustering as the last
resort (as for text), and given smooth area-weighted normals.
"""

from __future__ import annotations

import numpy as np

from app.engines.local.finish import cluster, weld
from app.engines.local.geometry import Mesh, face_normals, vertex_normals
from app.engines.local.smoothing import taubin
from app.engines.local.visualhull import Grid


class EmptyShape(ValueError):
    """The field has no inside: nothing to mesh."""


def signed_volume(positions: np.ndarray, faces: np.ndarray) -> float:
    tri = positions[faces]
    return float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6)


def mesh_field(field: np.ndarray, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """(positions, faces) of the field's 0.5 level, outward-facing, in world units."""
    from skimage.measure import marching_cubes  # imported lazily: heavy, and only photo jobs need it

    if float(field.max()) <= 0.5:
        raise EmptyShape("the views leave no volume in common")
    padded = np.pad(field, 1, constant_values=0.0)
    verts, faces, _, _ = marching_cubes(padded, 0.5, spacing=(grid.step,) * 3, allow_degenerate=False)
    positions = verts.astype(np.float64) + grid.origin - grid.step
    faces = faces.astype(np.int64)
    if signed_volume(positions, faces) < 0:
        faces = faces[:, ::-1].copy()
    return positions, faces


def simplify(positions: np.ndarray, faces: np.ndarray, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """At most `budget` faces: quadric decimation, repeated while it stops short, then clustering if needed."""
    import fast_simplification

    for _ in range(3):
        if len(faces) <= budget:
            return positions, faces
        reduction = min(0.99, 1.0 - budget * 0.97 / len(faces))
        p, f = fast_simplification.simplify(
            positions.astype(np.float32), faces.astype(np.int32), target_reduction=reduction, agg=3
        )
        positions, faces = p.astype(np.float64), f.astype(np.int64)
    if len(faces) <= budget:
        return positions, faces
    extent = float(np.linalg.norm(positions.max(0) - positions.min(0)))
    cell, mesh = extent / 400, Mesh(positions, np.zeros_like(positions), faces)
    while len(mesh.faces) > budget:
        mesh = cluster(Mesh(positions, np.zeros_like(positions), faces), cell)
        cell *= 1.5
    return weld(mesh)


def drop_unused(positions: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    used, inverse = np.unique(faces.ravel(), return_inverse=True)
    return positions[used], inverse.reshape(faces.shape)


def smooth_mesh(positions: np.ndarray, faces: np.ndarray) -> Mesh:
    """Zero-area triangles and unused vertices dropped, smooth normals added."""
    area2 = np.linalg.norm(face_normals(positions, faces), axis=1)
    positions, faces = drop_unused(positions, faces[area2 > 1e-14])
    normals = vertex_normals(positions, faces)
    return Mesh(positions, normals, faces)


SMOOTHING_PASSES = 10


def field_to_mesh(field: np.ndarray, grid: Grid, faces_wanted: int) -> Mesh:
    positions, faces = mesh_field(field, grid)
    positions = taubin(positions, faces, SMOOTHING_PASSES)
    positions, faces = simplify(positions, faces, faces_wanted)
    return smooth_mesh(positions, faces)
