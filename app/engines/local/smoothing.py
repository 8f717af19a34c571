"""Taubin smoothing (λ|μ): alternate a shrinking and an inflating Laplacian step so voxel staircases melt away
while the volume, and so the silhouette, stays put (plain Laplacian smoothing would shrink the shape)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

LAMBDA, MU = 0.5, -0.53  # pass band k = 1/λ + 1/μ ≈ 0.11: ripples of a few edges go, the form stays


def umbrella(faces: np.ndarray, count: int) -> sparse.csr_matrix:
    """Row-normalised vertex adjacency: (A @ p)[i] is the mean of vertex i's neighbours."""
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    adjacency = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(count, count))
    adjacency.data[:] = 1.0  # an edge shared by two faces counts once
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    return sparse.diags(1.0 / np.maximum(degree, 1.0)) @ adjacency


def taubin(positions: np.ndarray, faces: np.ndarray, iterations: int) -> np.ndarray:
    """`iterations` λ|μ pairs over the mesh's positions (faces unchanged)."""
    mean = umbrella(faces, len(positions))
    p = positions.astype(np.float64, copy=True)
    for _ in range(iterations):
        p += LAMBDA * (mean @ p - p)
        p += MU * (mean @ p - p)
    return p
