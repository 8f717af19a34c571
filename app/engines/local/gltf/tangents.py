"""Per-vertex tangents from UVs (for normal maps): the direction of increasing U on the surface, made orthogonal
to the normal, with the handedness of the UV frame in w — what glTF's TANGENT attribute holds."""

from __future__ import annotations

import numpy as np


def _any_perpendicular(normals: np.ndarray) -> np.ndarray:
    helper = np.where(np.abs(normals[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    t = np.cross(normals, helper)
    return t / np.linalg.norm(t, axis=1, keepdims=True)


def vertex_tangents(positions: np.ndarray, normals: np.ndarray, uvs: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(N, 4) float32: unit xyz orthogonal to the normal, w = ±1. Vertices without a usable UV gradient get any
    perpendicular direction (their normal map then reads as a flat one)."""
    p, t = positions[faces], uvs[faces]
    e1, e2 = p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]
    d1, d2 = t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]
    det = d1[:, 0] * d2[:, 1] - d2[:, 0] * d1[:, 1]
    det = np.where(np.abs(det) < 1e-20, np.inf, det)  # degenerate UVs: the face adds nothing
    # glTF's V runs down the image, so "up" in texture space is -V: the bitangent flips, the tangent does not
    face_t = (e1 * d2[:, 1:2] - e2 * d1[:, 1:2]) / det[:, None]
    face_b = (e1 * d2[:, 0:1] - e2 * d1[:, 0:1]) / det[:, None]
    tan = np.zeros_like(positions)
    bit = np.zeros_like(positions)
    idx = faces.ravel()
    for axis in range(3):
        tan[:, axis] = np.bincount(idx, np.repeat(face_t[:, axis], 3), minlength=len(positions))
        bit[:, axis] = np.bincount(idx, np.repeat(face_b[:, axis], 3), minlength=len(positions))
    n = normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    tan -= n * np.einsum("ij,ij->i", tan, n)[:, None]
    length = np.linalg.norm(tan, axis=1, keepdims=True)
    tan = np.where(length > 1e-12, tan / np.maximum(length, 1e-12), _any_perpendicular(n))
    w = np.where(np.einsum("ij,ij->i", np.cross(n, tan), bit) < 0.0, -1.0, 1.0)
    return np.concatenate([tan, w[:, None]], axis=1).astype(np.float32)
