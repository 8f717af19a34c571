"""Finishing steps shared by engines: face budget, grounding/centring, GLB + thumbnail."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.engines.local.geometry import Mesh, drop_degenerate, flat_shaded

Group = tuple[object, Mesh]  # (material, mesh); the material is opaque here


def face_count(groups: Sequence[Group]) -> int:
    return sum(len(m.faces) for _, m in groups)


def ground_and_centre(groups: Sequence[Group]) -> list[Group]:
    """Rest the model on y=0 and centre its bounding box on x/z (what viewers and printers expect)."""
    allpos = np.concatenate([m.positions for _, m in groups if len(m.positions)])
    lo, hi = allpos.min(axis=0), allpos.max(axis=0)
    shift = np.array([-(lo[0] + hi[0]) / 2, -lo[1], -(lo[2] + hi[2]) / 2])
    return [(mat, Mesh(m.positions + shift, m.normals, m.faces, m.uvs)) for mat, m in groups]


def weld(mesh: Mesh, tolerance: float = 1e-7) -> tuple[np.ndarray, np.ndarray]:
    """Merge vertices that share a position (decimation needs a connected surface; normals are rebuilt after)."""
    key = np.round(mesh.positions / tolerance).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return mesh.positions[first], inverse.reshape(-1)[mesh.faces]


def decimate(mesh: Mesh, target_faces: int) -> Mesh:
    """Quadric decimation (fast_simplification; agg=3 keeps shapes well, it works on positions only)."""
    import fast_simplification

    if len(mesh.faces) <= target_faces or len(mesh.faces) < 64:
        return mesh
    points, faces = weld(mesh)
    reduction = 1.0 - target_faces / len(faces)
    new_points, new_faces = fast_simplification.simplify(
        points.astype(np.float32), faces.astype(np.int32), target_reduction=min(max(reduction, 0.0), 0.99), agg=3
    )
    if len(new_faces) > target_faces:  # the simplifier may stop short; one more pass with the remainder
        extra = 1.0 - target_faces / len(new_faces)
        new_points, new_faces = fast_simplification.simplify(
            new_points, new_faces, target_reduction=min(extra, 0.99), agg=3
        )
    out = Mesh(new_points.astype(np.float64), np.zeros((len(new_points), 3)), new_faces.astype(np.int64))
    return drop_degenerate(flat_shaded(out))


def cluster(mesh: Mesh, cell: float) -> Mesh:
    """Vertex clustering on a grid of `cell` metres: crude but always shrinks, the last-resort guarantee."""
    key = np.floor(mesh.positions / cell).astype(np.int64)
    _, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    count = np.bincount(inverse)
    pos = np.stack([np.bincount(inverse, mesh.positions[:, k]) / count for k in range(3)], axis=1)
    faces = inverse[mesh.faces]
    faces = faces[(faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 2] != faces[:, 0])]
    _, first = np.unique(np.sort(faces, axis=1), axis=0, return_index=True)
    faces = faces[np.sort(first)]
    return (
        drop_degenerate(flat_shaded(Mesh(pos, np.zeros_like(pos), faces)))
        if len(faces)
        else Mesh(pos[:0], pos[:0], faces)
    )


def enforce_budget(groups: Sequence[Group], budget: int) -> tuple[list[Group], list[str]]:
    """Make the total face count fit `budget` (a hard ceiling).

    Quadric decimation by a common ratio, repeated while the simplifier stops short (it refuses some collapses on
    small closed parts); if that still is not enough, vertex clustering on a coarsening grid."""
    total = face_count(groups)
    if total <= budget:
        return list(groups), []
    out = list(groups)
    for _ in range(3):
        current = face_count(out)
        if current <= budget:
            break
        ratio = budget * 0.97 / current
        out = [(mat, decimate(mesh, max(4, int(len(mesh.faces) * ratio)))) for mat, mesh in out]
    if face_count(out) > budget:
        allpos = np.concatenate([m.positions for _, m in out])
        cell = float(np.linalg.norm(allpos.max(0) - allpos.min(0))) / 400
        source = out
        while face_count(out) > budget:
            out = [(mat, cluster(mesh, cell)) for mat, mesh in source]
            out = [(mat, mesh) for mat, mesh in out if len(mesh.faces)]
            cell *= 1.5
    return out, [f"decimated from {total} to {face_count(out)} faces to fit the {budget}-face budget"]
