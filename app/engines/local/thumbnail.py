"""Pure-numpy z-buffer renderer: thumbnails and orthographic views without GPU or display.

Triangles are bucketed by screen size; each bucket emits its candidate fragments at once (barycentric tests on a
small pixel grid per triangle), and the nearest fragment per pixel wins through one sort. Shading is Lambert with
ambient and a fill light, normals interpolated per pixel; translucent materials are blended once over the opaque
image. Supersampling (averaged with premultiplied alpha) gives clean edges on a transparent background.

`render_view` is reusable by other engines and tests (e.g. comparing silhouettes from the front).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

THREE_QUARTER = (1.0, 0.75, 1.45)  # camera direction from the model: front-right, above
_KEY = np.array([0.45, 0.8, 0.55]) / np.linalg.norm([0.45, 0.8, 0.55])
_FILL = np.array([-0.6, 0.2, 0.4]) / np.linalg.norm([-0.6, 0.2, 0.4])


@dataclass(frozen=True, slots=True)
class Surface:
    """One renderable: triangles with optional smooth normals and a linear RGBA colour."""

    positions: np.ndarray
    faces: np.ndarray
    rgba: tuple[float, float, float, float]
    normals: np.ndarray | None = None
    uvs: np.ndarray | None = None  # (N, 2) glTF convention, with `texture`
    texture: np.ndarray | None = None  # linear RGB floats (H, W, 3), multiplies `rgba`
    wrap: bool = False  # the texture tiles (UVs beyond 0..1 repeat it) instead of clamping at its edges


def linear_texture(rgb: np.ndarray, texels: int) -> np.ndarray:
    """An sRGB uint8 texture as the renderer samples it: at most `texels` on a side (a thumbnail shows a model a
    few hundred pixels big; a full-size float copy of a 2048² texture would cost 50 MB), in linear light."""
    if max(rgb.shape[:2]) > texels:
        rgb = np.asarray(Image.fromarray(np.ascontiguousarray(rgb)).resize((texels, texels), Image.Resampling.BOX))
    c = rgb.astype(np.float32) / np.float32(255.0)
    return np.where(c <= 0.04045, c / np.float32(12.92), ((c + np.float32(0.055)) / np.float32(1.055)) ** 2.4)


def surfaces_from(scene: Any) -> list[Surface]:
    """Accept our (material, mesh) groups, Surfaces, or a trimesh Scene/Trimesh (imported lazily)."""
    if isinstance(scene, Sequence) and all(isinstance(s, Surface) for s in scene):
        return list(scene)
    if isinstance(scene, Sequence):
        out = []
        for material, mesh in scene:
            out.append(Surface(mesh.positions, mesh.faces, material.linear_rgba(), mesh.normals))
        return out
    return _from_trimesh(scene)


def _from_trimesh(scene: Any) -> list[Surface]:
    import trimesh

    if isinstance(scene, trimesh.Trimesh):
        scene = trimesh.Scene(scene)
    out = []
    for node in scene.graph.nodes_geometry:
        transform, name = scene.graph[node]
        geom = scene.geometry[name]
        if not isinstance(geom, trimesh.Trimesh) or not len(geom.faces):
            continue
        pos = trimesh.transform_points(geom.vertices, transform)
        rgba = (0.7, 0.7, 0.7, 1.0)
        mat = getattr(geom.visual, "material", None)
        factor = getattr(mat, "baseColorFactor", None)
        if factor is not None:
            f = np.asarray(factor, float)
            f = f / 255.0 if f.max() > 1.0 else f
            rgba = (float(f[0]), float(f[1]), float(f[2]), float(f[3]) if len(f) > 3 else 1.0)
        elif geom.visual.kind in ("vertex", "face"):
            c = np.asarray(geom.visual.face_colors, float)[:, :3].mean(axis=0) / 255.0
            rgba = (*(float(v) ** 2.2 for v in c), 1.0)  # type: ignore[assignment]
        out.append(Surface(pos, np.asarray(geom.faces), rgba, None))
    return out


def _camera(direction: Sequence[float], up: Sequence[float]) -> np.ndarray:
    z = np.asarray(direction, float)
    z = z / np.linalg.norm(z)
    up_v = np.asarray(up, float)
    if abs(np.dot(up_v, z)) > 0.999:
        up_v = np.array([0.0, 0.0, -1.0])
    x = np.cross(up_v, z)
    x /= np.linalg.norm(x)
    return np.stack([x, np.cross(z, x), z])  # rows: camera right, up, towards the viewer


SHADE_CHUNK = 131_072  # pixels shaded at once
FRAGMENTS_PER_BATCH = 32_768  # bounds the rasteriser's memory (~200 bytes per fragment in flight)
BAND_PIXELS = 65_536  # (supersampled) pixels of the frame rendered at once: a band of rows, so every per-pixel
# buffer stays a few MB whatever the thumbnail's size (a whole 1024² frame at once peaked at ~120 MB)


def _rasterize(
    sx: np.ndarray, sy: np.ndarray, z: np.ndarray, width: int, rows: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The nearest fragment per covered pixel of the frame's `rows` [top, bottom): (pixel index within those rows,
    triangle, barycentrics).

    Triangles go through in batches of about FRAGMENTS_PER_BATCH fragments, each merged into a running depth buffer,
    so a big, deep model costs a bounded amount of memory instead of all its fragments at once. On equal depth the
    first triangle wins, however the batches fall (so a band gives the pixels the whole frame would)."""
    top, bottom = rows
    height = np.clip(np.ptp(sy, axis=1) + 1, 0, bottom - top)
    estimate = height * (np.ptp(sx, axis=1) + 1)  # bounding-box pixels within the band, an upper bound
    bounds = np.searchsorted(np.cumsum(estimate), np.arange(FRAGMENTS_PER_BATCH, estimate.sum(), FRAGMENTS_PER_BATCH))
    edges = [0, *sorted(set(int(b) for b in bounds) - {0}), len(sx)]
    if len(edges) == 2:  # one batch: no depth buffer needed
        pix, tri, bary, _ = _rasterize_batch(sx, sy, z, width, rows)
        return pix, tri, bary
    # the running buffers hold one entry per pixel of the band: single precision is plenty
    size = width * (bottom - top)
    best_depth = np.full(size, -np.inf, np.float32)
    best_tri = np.full(size, -1, np.int32)
    best_bary = np.zeros((size, 3), np.float32)
    for lo, hi in itertools.pairwise(edges):
        pix, tri, bary, depth = _rasterize_batch(sx[lo:hi], sy[lo:hi], z[lo:hi], width, rows)
        nearer = depth > best_depth[pix]
        pix = pix[nearer]
        best_depth[pix], best_tri[pix], best_bary[pix] = depth[nearer], tri[nearer] + lo, bary[nearer]
    covered = np.nonzero(best_tri >= 0)[0]
    return covered, best_tri[covered].astype(np.int64), best_bary[covered].astype(np.float64)


def _rasterize_batch(
    sx: np.ndarray, sy: np.ndarray, z: np.ndarray, width: int, rows: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scan-convert triangles at once within the frame's `rows`, then keep the nearest fragment per pixel (with its
    depth). Pixel indices count from the band's first row; every coordinate stays the frame's own.

    Vectorised scanlines: every (triangle, pixel row) pair gets its exact x-span from the three edges, so no work is
    wasted on bounding-box pixels outside the triangle (thin slanted parts would otherwise dominate)."""
    top, bottom = rows
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 3)), np.zeros(0))
    if not len(sx):
        return empty
    r0 = np.clip(np.ceil(sy.min(1) - 0.5), top, bottom).astype(np.int64)
    r1 = np.clip(np.floor(sy.max(1) - 0.5), top - 1, bottom - 1).astype(np.int64)
    rows_of = np.maximum(r1 - r0 + 1, 0)
    tri = np.repeat(np.arange(len(sx)), rows_of)
    if not len(tri):
        return empty
    starts = np.repeat(np.cumsum(rows_of) - rows_of, rows_of)
    y = (r0[tri] + np.arange(len(tri)) - starts).astype(np.int64)
    yc = y + 0.5
    xl = np.full(len(tri), np.inf)
    xr = np.full(len(tri), -np.inf)
    for a, b in ((0, 1), (1, 2), (2, 0)):
        ya, yb, xa, xb = sy[tri, a], sy[tri, b], sx[tri, a], sx[tri, b]
        dy = yb - ya
        flat = np.abs(dy) <= 1e-12  # horizontal edges never cross a scanline centre
        t = (yc - ya) / np.where(flat, 1.0, dy)
        ok = ~flat & (t >= -1e-9) & (t <= 1 + 1e-9)
        x = xa + t * (xb - xa)
        xl = np.where(ok, np.minimum(xl, x), xl)
        xr = np.where(ok, np.maximum(xr, x), xr)
    c1 = np.clip(np.floor(xr - 0.5), -1, width - 1)
    valid = np.isfinite(xl) & np.isfinite(xr)
    c0 = np.where(valid, np.clip(np.ceil(np.where(valid, xl, 0) - 0.5), 0, width), 0).astype(np.int64)
    c1 = np.where(valid, c1, -1).astype(np.int64)
    cols = np.maximum(c1 - c0 + 1, 0)
    ftri = np.repeat(tri, cols)
    if not len(ftri):
        return empty
    fstart = np.repeat(np.cumsum(cols) - cols, cols)
    fx = np.repeat(c0, cols) + np.arange(len(ftri)) - fstart
    fy = np.repeat(y, cols)
    # barycentrics at pixel centres from per-triangle edge functions
    ax, ay, bx, by, cx, cy = sx[ftri, 0], sy[ftri, 0], sx[ftri, 1], sy[ftri, 1], sx[ftri, 2], sy[ftri, 2]
    det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy)
    det = np.where(np.abs(det) < 1e-12, 1e-12, det)
    px, py = fx + 0.5, fy + 0.5
    w0 = ((by - cy) * (px - cx) + (cx - bx) * (py - cy)) / det
    w1 = ((cy - ay) * (px - cx) + (ax - cx) * (py - cy)) / det
    bary = np.clip(np.stack([w0, w1, 1.0 - w0 - w1], 1), 0.0, 1.0)
    depth = np.einsum("ij,ij->i", bary, z[ftri])
    pix = (fy - top) * width + fx
    order = np.lexsort((-depth, pix))  # per pixel, nearest (largest z: the camera looks down -z) first
    pix, ftri, bary, depth = pix[order], ftri[order], bary[order], depth[order]
    first = np.r_[True, pix[1:] != pix[:-1]]
    return pix[first], ftri[first], bary[first], depth[first]


def _shade(normals: np.ndarray, base: np.ndarray) -> np.ndarray:
    lambert = 0.62 * np.clip(normals @ _KEY, 0, 1) + 0.18 * np.clip(normals @ _FILL, 0, 1)
    return base * (0.32 + lambert)[:, None]


def _base_colour(
    colours: np.ndarray,
    uvs: np.ndarray,
    tex_of: np.ndarray,
    textures: list[tuple[np.ndarray, bool]],
    tri: np.ndarray,
    bary: np.ndarray,
) -> np.ndarray:
    """Per-fragment base colour: the surface's colour, times its texture (nearest texel) where it has one."""
    base = colours[tri]  # fancy indexing: a fresh array
    for k, (texture, wrap) in enumerate(textures):
        sel = tex_of[tri] == k
        if not sel.any():
            continue
        uv = np.einsum("ij,ijk->ik", bary[sel], uvs[tri[sel]])
        h, w = texture.shape[:2]
        col, row = np.floor(uv[:, 0] * w).astype(np.int64), np.floor(uv[:, 1] * h).astype(np.int64)
        col, row = (col % w, row % h) if wrap else (np.clip(col, 0, w - 1), np.clip(row, 0, h - 1))
        base[sel] = base[sel] * texture[row, col]
    return base


def _to_srgb(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * np.power(linear, 1 / 2.4) - 0.055)


def render_view(
    scene: Any,
    direction: Sequence[float] = THREE_QUARTER,
    size: int = 256,
    ssaa: int = 2,
    up: Sequence[float] = (0.0, 1.0, 0.0),
    margin: float = 0.06,
    cull_backfaces: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Orthographic view looking *from* `direction` at the model's centre, fitted to the frame.

    Returns (rgba uint8 (size, size, 4) in sRGB, coverage mask bool (size, size)). For silhouette comparisons pass
    e.g. direction=(0, 0, 1) (front) and ssaa=1. Back-face culling assumes closed meshes (ours are); turn it off for
    open surfaces.
    """
    surfaces = [s for s in surfaces_from(scene) if len(s.faces)]
    width = size * ssaa
    if not surfaces:
        return np.zeros((size, size, 4), np.uint8), np.zeros((size, size), bool)
    cam = _camera(direction, up)
    tris, nrm, colour, alpha = [], [], [], []
    face_uv, face_tex, textures = [], [], []
    for s in surfaces:
        t = s.positions[s.faces]
        tris.append(t)
        if s.normals is not None:
            nrm.append(s.normals[s.faces])
        else:
            fn = np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0])
            fn /= np.maximum(np.linalg.norm(fn, axis=1, keepdims=True), 1e-12)
            nrm.append(np.repeat(fn[:, None], 3, axis=1))
        colour.append(np.broadcast_to(np.asarray(s.rgba[:3]), (len(s.faces), 3)))
        alpha.append(np.full(len(s.faces), s.rgba[3]))
        textured = s.texture is not None and s.uvs is not None
        face_uv.append(s.uvs[s.faces] if textured else np.zeros((len(s.faces), 3, 2)))  # type: ignore[index]
        face_tex.append(np.full(len(s.faces), len(textures) if textured else -1))
        if textured:
            textures.append((s.texture, s.wrap))
    # per-triangle arrays of a big model are tens of MB each: every list of parts is dropped once joined
    world = np.concatenate(tris)
    normals = np.concatenate(nrm)
    colours, alphas = np.concatenate(colour), np.concatenate(alpha)
    uvs, tex_of = np.concatenate(face_uv), np.concatenate(face_tex)
    del tris, nrm, colour, alpha, face_uv, face_tex
    lo, hi = world.reshape(-1, 3).min(0), world.reshape(-1, 3).max(0)
    centre = (lo + hi) / 2
    view = (world - centre) @ cam.T
    del world
    corners = (
        np.array([[a, b, c] for a in (lo[0], hi[0]) for b in (lo[1], hi[1]) for c in (lo[2], hi[2])]) - centre
    ) @ cam.T
    half = max(np.abs(corners[:, :2]).max(), 1e-9) * (1 + margin)
    sx = (view[..., 0] / half * 0.5 + 0.5) * width
    sy = (0.5 - view[..., 1] / half * 0.5) * width
    cam_normals_z = normals @ cam[2]  # > 0 faces the viewer
    view_z = view[..., 2].copy()  # all that is kept of `view` (dropped below) past the set-up
    if cull_backfaces:  # the z of cross(v1 - v0, v2 - v0), without the whole cross product
        ex, ey = view[:, 1, :2] - view[:, 0, :2], view[:, 2, :2] - view[:, 0, :2]
        keep = ex[:, 0] * ey[:, 1] - ex[:, 1] * ey[:, 0] > -1e-12
    else:
        keep = np.ones(len(view), bool)
    del view
    passes = ((keep & (alphas >= 0.999), False), (keep & (alphas < 0.999), True))
    scene_arrays = (sx, sy, view_z, normals, cam_normals_z, colours, uvs, tex_of, textures, alphas)
    rgba = np.empty((size, size, 4), np.uint8)
    mask = np.empty((size, size), bool)
    band = max(1, BAND_PIXELS // (width * ssaa)) * ssaa  # rows of the frame at once: whole output rows
    low, high = sy.min(1), sy.max(1)
    for top in range(0, width, band):
        bottom = min(width, top + band)
        near = (high >= top - 1) & (low <= bottom + 1)  # triangles that may cover a pixel centre of the band
        image = _render_band(scene_arrays, [(sel & near, translucent) for sel, translucent in passes], width, top,
                             bottom)  # fmt: skip
        out = slice(top // ssaa, bottom // ssaa)
        rgba[out], mask[out] = _finish(image, ssaa)
    return rgba, mask


def _render_band(
    scene: tuple[Any, ...], passes: list[tuple[np.ndarray, bool]], width: int, top: int, bottom: int
) -> np.ndarray:
    """The linear, straight-alpha RGBA (rows, width, 4) of the frame's rows [top, bottom): opaque surfaces, then
    translucent ones blended over them."""
    sx, sy, view_z, normals, cam_normals_z, colours, uvs, tex_of, textures, alphas = scene
    image = np.zeros((width * (bottom - top), 4), np.float32)
    depth_opaque = np.full(width * (bottom - top), -np.inf, np.float32)
    for mask_sel, translucent in passes:
        idx = np.nonzero(mask_sel)[0]
        if not len(idx):
            continue
        pix_all, tri_all, bary_all = _rasterize(sx[idx], sy[idx], view_z[idx], width, (top, bottom))
        for start in range(0, len(pix_all), SHADE_CHUNK):  # in chunks: per-pixel arrays stay small
            pix, bary = pix_all[start : start + SHADE_CHUNK], bary_all[start : start + SHADE_CHUNK]
            tri_g = idx[tri_all[start : start + SHADE_CHUNK]]
            depth = np.einsum("ij,ij->i", bary, view_z[tri_g])
            n = np.einsum("ij,ijk->ik", bary, normals[tri_g])
            n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
            n_cam = np.einsum("ij,ij->i", bary, cam_normals_z[tri_g])
            n = np.where((n_cam < 0)[:, None], -n, n)  # two-sided lighting for thin or flipped parts
            rgb = _shade(n, _base_colour(colours, uvs, tex_of, textures, tri_g, bary))
            if not translucent:
                image[pix, :3], image[pix, 3], depth_opaque[pix] = rgb, 1.0, depth
                continue
            front = depth > depth_opaque[pix]
            pix, rgb, a = pix[front], rgb[front], alphas[tri_g][front]
            under = image[pix]
            out_a = a + under[:, 3] * (1 - a)
            image[pix, :3] = (rgb * a[:, None] + under[:, :3] * under[:, 3:4] * (1 - a[:, None])) / out_a[:, None]
            image[pix, 3] = out_a
    return image.reshape(bottom - top, width, 4)


def _finish(image: np.ndarray, ssaa: int) -> tuple[np.ndarray, np.ndarray]:
    """A band's sRGB uint8 pixels and coverage, its ssaa × ssaa blocks averaged with premultiplied alpha (so edges
    don't darken against transparency)."""
    if ssaa > 1:
        rows, cols = image.shape[0] // ssaa, image.shape[1] // ssaa
        pre = image.copy()
        pre[..., :3] *= pre[..., 3:4]
        pre = pre.reshape(rows, ssaa, cols, ssaa, 4).sum(axis=3).sum(axis=1) / (ssaa * ssaa)
        a = pre[..., 3:4]
        image = np.concatenate([np.where(a > 0, pre[..., :3] / np.maximum(a, 1e-12), 0), a], axis=-1)
    rgba = np.empty((*image.shape[:2], 4), np.uint8)
    rgba[..., :3] = np.round(_to_srgb(image[..., :3]) * 255).astype(np.uint8)
    rgba[..., 3] = np.round(np.clip(image[..., 3], 0, 1) * 255).astype(np.uint8)
    return rgba, image[..., 3] > 0.5


def encode_png(rgba: np.ndarray) -> bytes:
    """PNG bytes; Pillow writes no timestamps, so equal pixels give equal bytes."""
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def render_thumbnail(scene: Any, size: int, direction: Sequence[float] = THREE_QUARTER) -> bytes:
    """A 3/4 view PNG of `scene` on a transparent background."""
    rgba, _ = render_view(scene, direction, size, ssaa=2 if size <= 512 else 1)
    return encode_png(rgba)
