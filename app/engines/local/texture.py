"""Colouring a reconstructed mesh from its photos: a texture atlas of the views and per-face projection.

Each view's crop goes into one tile of a power-of-two atlas (one view: the whole texture; 2–4: a 2×2 grid), with
the subject's colours bled outwards into the background texels (so filtering and mip-maps never pull in the
backdrop). Every face takes the view that faces it best: a photographed direction, or the mirror of one for a side
nobody photographed (the back of a single photo shows the front's colours, the left side the right's), a mirror
losing to a real view. Vertices are split where neighbouring faces use different tiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from app.engines.local.geometry import Mesh, face_normals
from app.engines.local.projection import View

MIRROR_PENALTY = 0.1


@dataclass(frozen=True, slots=True)
class Tile:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class TexturedMesh:
    positions: np.ndarray  # (N, 3)
    normals: np.ndarray  # (N, 3)
    uvs: np.ndarray  # (N, 2), glTF convention: (0, 0) is the image's top-left
    faces: np.ndarray  # (M, 3)
    texture: np.ndarray  # uint8 (T, T, 3), sRGB


def bleed(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Copy the nearest subject colour into every background pixel."""
    if mask.all() or not mask.any():
        return rgb
    _, (iy, ix) = ndimage.distance_transform_edt(~mask, return_indices=True)
    return rgb[iy, ix]


def layout(count: int, size: int) -> list[Tile]:
    if count == 1:
        return [Tile(0, 0, size, size)]
    half = size // 2
    return [Tile((i % 2) * half, (i // 2) * half, half, half) for i in range(count)]


def atlas(views: list[View], size: int) -> tuple[np.ndarray, list[Tile]]:
    """The views' crops, colours bled, resized into their tiles of a size×size texture."""
    tiles = layout(len(views), size)
    texture = np.zeros((size, size, 3), np.uint8)
    for view, tile in zip(views, tiles, strict=True):
        filled = bleed(view.rgb, view.mask)
        image = Image.fromarray(np.ascontiguousarray(filled)).resize(
            (tile.width, tile.height), Image.Resampling.LANCZOS
        )
        texture[tile.y : tile.y + tile.height, tile.x : tile.x + tile.width] = np.asarray(image)
    return texture, tiles


def choose_views(mesh: Mesh, views: list[View]) -> np.ndarray:
    """Index of the view colouring each face: the best-facing photo, or the mirror of one for unseen sides."""
    normals = face_normals(mesh.positions, mesh.faces)
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    real = np.stack([v.toward for v in views])
    scores = [normals @ real.T]
    owners = list(range(len(views)))
    seen = {tuple(np.round(d).astype(int)) for d in real}
    for i, view in enumerate(views):
        opposite = -view.toward
        if view.name != "top" and tuple(np.round(opposite).astype(int)) not in seen:
            scores.append((normals @ opposite - MIRROR_PENALTY)[:, None])
            owners.append(i)
    best = np.argmax(np.concatenate(scores, axis=1), axis=1)
    return np.asarray(owners)[best]


def uv_in_tile(view: View, tile: Tile, size: int, points: np.ndarray) -> np.ndarray:
    cols, rows = view.project(points)
    h, w = view.mask.shape
    cols = np.clip(cols, 0.5, w - 0.5) / w
    rows = np.clip(rows, 0.5, h - 0.5) / h
    return np.stack([(tile.x + cols * tile.width) / size, (tile.y + rows * tile.height) / size], axis=1)


def texture_mesh(mesh: Mesh, views: list[View], size: int) -> TexturedMesh:
    """Split the mesh by colouring view and give every vertex copy its UV in that view's tile."""
    texture, tiles = atlas(views, size)
    owner = choose_views(mesh, views)
    positions, normals, uvs, faces = [], [], [], []
    base = 0
    for index, (view, tile) in enumerate(zip(views, tiles, strict=True)):
        group = mesh.faces[owner == index]
        if not len(group):
            continue
        used, local = np.unique(group.ravel(), return_inverse=True)
        positions.append(mesh.positions[used])
        normals.append(mesh.normals[used])
        uvs.append(uv_in_tile(view, tile, size, mesh.positions[used]))
        faces.append(local.reshape(-1, 3) + base)
        base += len(used)
    return TexturedMesh(
        np.concatenate(positions), np.concatenate(normals), np.concatenate(uvs), np.concatenate(faces), texture
    )
