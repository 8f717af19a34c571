"""Parametric primitives as plain numpy triangle meshes with hand-computed normals.

Why not trimesh.creation: we want analytic smooth normals with crisp creases exactly where a profile says so
(a vase is smooth, its foot is sharp), tessellation that follows a per-tier detail level, and speed — every
primitive here is a handful of vectorised numpy operations.

Conventions: metres, +Y up. 2D profiles for lathes are (radius, height) points; polygons for extrusions are (x, y)
points. A point given as a 3-tuple with a truthy third item is a *corner*: the surface creases there; other points are
joined by a Catmull-Rom spline refined to the requested detail.

Every primitive also carries UVs in metres along its own surface, laid out so that V follows the part's length
(a turned leg's height, a tube's path, a plank's long side): wood grain and brushed metal run the way they would
on a real part. `triplanar` replaces them with world-aligned ones (courses of brick stay horizontal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ProfilePoint = tuple[float, float] | tuple[float, float, int]


@dataclass(frozen=True, slots=True)
class Detail:
    """Tessellation density. `segments` = around a full circle; `subdiv` = spline steps per profile segment."""

    segments: int
    subdiv: int
    ico: int  # icosphere subdivisions for blobs
    flat: bool = False  # faceted "low-poly" look


@dataclass(slots=True)
class Mesh:
    positions: np.ndarray  # (N, 3) float64
    normals: np.ndarray  # (N, 3) float64, unit length
    faces: np.ndarray  # (M, 3) int64
    uvs: np.ndarray | None = None  # (N, 2) float64, metres along the surface

    @property
    def face_count(self) -> int:
        return len(self.faces)


# ----------------------------------------------------------------------------------------------- mesh utilities


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(n < 1e-12, 1.0, n)


def face_normals(positions: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Unnormalised (area-weighted) geometric normals."""
    tri = positions[faces]
    return np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])


def vertex_normals(positions: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted vertex normals (bincount is much faster than np.add.at)."""
    fn = face_normals(positions, faces)
    idx = faces.ravel()
    out = np.empty_like(positions)
    for axis in range(3):
        out[:, axis] = np.bincount(idx, np.repeat(fn[:, axis], 3), minlength=len(positions))
    return _unit(out)


def fix_winding(mesh: Mesh) -> Mesh:
    """Flip triangles whose winding disagrees with their vertex normals (so generators need not track orientation)."""
    if not len(mesh.faces):
        return mesh
    fn = face_normals(mesh.positions, mesh.faces)
    vn = mesh.normals[mesh.faces].sum(axis=1)
    flip = np.einsum("ij,ij->i", fn, vn) < 0
    faces = mesh.faces.copy()
    faces[flip] = faces[flip][:, ::-1]
    return Mesh(mesh.positions, mesh.normals, faces, mesh.uvs)


def drop_degenerate(mesh: Mesh, eps: float = 1e-14) -> Mesh:
    """Remove zero-area triangles and the vertices nothing references any more."""
    area2 = np.linalg.norm(face_normals(mesh.positions, mesh.faces), axis=1)
    faces = mesh.faces[area2 > eps]
    used = np.zeros(len(mesh.positions), bool)
    used[faces.ravel()] = True
    if used.all():
        return Mesh(mesh.positions, mesh.normals, faces, mesh.uvs)
    remap = np.cumsum(used) - 1
    uvs = mesh.uvs[used] if mesh.uvs is not None else None
    return Mesh(mesh.positions[used], mesh.normals[used], remap[faces], uvs)


def flat_shaded(mesh: Mesh) -> Mesh:
    """Unweld so every triangle carries its own normal: the faceted low-poly look."""
    pos = mesh.positions[mesh.faces].reshape(-1, 3)
    fn = _unit(face_normals(mesh.positions, mesh.faces))
    uvs = mesh.uvs[mesh.faces].reshape(-1, 2) if mesh.uvs is not None else None
    return Mesh(pos, np.repeat(fn, 3, axis=0), np.arange(len(pos)).reshape(-1, 3), uvs)


def concat(meshes: Sequence[Mesh]) -> Mesh:
    """One mesh of many; it has UVs only if every part has them."""
    if not meshes:
        return Mesh(np.zeros((0, 3)), np.zeros((0, 3)), np.zeros((0, 3), np.int64), np.zeros((0, 2)))
    offsets = np.cumsum([0] + [len(m.positions) for m in meshes[:-1]])
    uvs = np.concatenate([m.uvs for m in meshes]) if all(m.uvs is not None for m in meshes) else None  # type: ignore[misc]
    return Mesh(
        np.concatenate([m.positions for m in meshes]),
        np.concatenate([m.normals for m in meshes]),
        np.concatenate([m.faces + o for m, o in zip(meshes, offsets, strict=True)]),
        uvs,
    )


def euler_matrix(degrees: Sequence[float]) -> np.ndarray:
    """Rotation about X, then Y, then Z (extrinsic), angles in degrees."""
    ax, ay, az = np.radians(degrees)
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def transformed(mesh: Mesh, linear: np.ndarray, offset: Sequence[float]) -> Mesh:
    """Apply x -> linear @ x + offset; normals use the inverse transpose, mirrored transforms keep winding right."""
    pos = mesh.positions @ linear.T + np.asarray(offset, float)
    normal_matrix = np.linalg.inv(linear).T
    nrm = _unit(mesh.normals @ normal_matrix.T)
    faces = mesh.faces[:, ::-1] if np.linalg.det(linear) < 0 else mesh.faces
    return Mesh(pos, nrm, faces, mesh.uvs)


# -------------------------------------------------------------------------------------------------- 2D profiles


def _split_profile(points: Sequence[ProfilePoint]) -> tuple[np.ndarray, np.ndarray]:
    xy = np.array([(p[0], p[1]) for p in points], float)
    corner = np.array([len(p) > 2 and bool(p[2]) for p in points], bool)
    return xy, corner


def refine(points: Sequence[ProfilePoint], subdiv: int, closed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Catmull-Rom refinement between corners. Returns (xy (n,2), corner flags (n,))."""
    xy, corner = _split_profile(points)
    n = len(xy)
    if not closed:
        corner[0] = corner[-1] = True
    if subdiv <= 1 or n < 2:
        return xy, corner
    seg_count = n if closed else n - 1
    t = np.linspace(0, 1, subdiv, endpoint=False)[1:, None]
    out_xy, out_corner = [], []
    for i in range(seg_count):
        j = (i + 1) % n
        p1, p2 = xy[i], xy[j]
        p0 = xy[(i - 1) % n] if (closed or i > 0) and not corner[i] else 2 * p1 - p2
        p3 = xy[(j + 1) % n] if (closed or j < n - 1) and not corner[j] else 2 * p2 - p1
        if corner[i] and corner[j]:
            mids = np.zeros((0, 2))  # straight edge between two corners: no spline points needed
        else:
            t2, t3 = t * t, t * t * t
            mids = 0.5 * (
                2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
            )
        out_xy.append(p1[None])
        out_corner.append([corner[i]])
        out_xy.append(mids)
        out_corner.append([False] * len(mids))
    if not closed:
        out_xy.append(xy[-1][None])
        out_corner.append([True])
    return np.concatenate(out_xy), np.concatenate(out_corner).astype(bool)


def _signed_area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _rows(xy: np.ndarray, corner: np.ndarray, closed: bool) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Expand a polyline into rows (position, 2D normal): a corner gets two rows with the normals of its two
    segments, a smooth point one row with their average. Returns (points, normals, strips between rows)."""
    n = len(xy)
    seg = (np.roll(xy, -1, axis=0) - xy) if closed else (xy[1:] - xy[:-1])
    seg_n = _unit(np.stack([seg[:, 1], -seg[:, 0]], axis=1))  # outward for a counter-clockwise outline
    pts: list[np.ndarray] = []
    nrm: list[np.ndarray] = []
    strips: list[tuple[int, int]] = []
    last_out = -1
    indices = list(range(n)) + ([0] if closed else [])
    for k, i in enumerate(indices):
        n_in = seg_n[(i - 1) % len(seg_n)] if (closed or i > 0) else None
        n_out = seg_n[i % len(seg_n)] if (closed or i < n - 1) and k < len(indices) - 1 else None
        if n_in is None or n_out is None:
            ins = outs = n_in if n_out is None else n_out
            split = False
        elif corner[i]:
            ins, outs, split = n_in, n_out, True
        else:
            ins = outs = _unit(n_in + n_out)
            split = False
        pts.append(xy[i])
        nrm.append(ins)
        row_in = len(pts) - 1
        if last_out >= 0:
            strips.append((last_out, row_in))
        if split:
            pts.append(xy[i])
            nrm.append(outs)
        last_out = len(pts) - 1
    return np.array(pts), np.array(nrm), strips


# ------------------------------------------------------------------------------------------------- triangulation


def _cross2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """z of the 2D cross product (numpy 2 deprecates np.cross on 2-vectors)."""
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def triangulate_polygon(xy: np.ndarray) -> np.ndarray:
    """Ear clipping for a simple counter-clockwise polygon (small n: recipes use a few dozen points)."""
    n = len(xy)
    if n < 3:
        return np.zeros((0, 3), np.int64)
    cross = _cross2(np.roll(xy, -1, 0) - xy, xy - np.roll(xy, 1, 0))
    if np.all(cross <= 1e-15) or np.all(cross >= -1e-15):  # convex: a fan is enough
        return np.array([(0, i, i + 1) for i in range(1, n - 1)], np.int64)
    idx = list(range(n))
    tris: list[tuple[int, int, int]] = []
    guard = 0
    while len(idx) > 3 and guard < 10 * n:
        guard += 1
        m = len(idx)
        for k in range(m):
            a, b, c = idx[(k - 1) % m], idx[k], idx[(k + 1) % m]
            pa, pb, pc = xy[a], xy[b], xy[c]
            if _cross2(pb - pa, pc - pb) <= 1e-15:
                continue  # reflex
            others = [xy[o] for o in idx if o not in (a, b, c)]
            if others and _any_inside(np.array(others), pa, pb, pc):
                continue
            tris.append((a, b, c))
            idx.pop(k)
            break
        else:
            break
    if len(idx) == 3:
        tris.append((idx[0], idx[1], idx[2]))
    return np.array(tris, np.int64).reshape(-1, 3)


def _any_inside(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> bool:
    d1 = _cross2(b - a, p - a)
    d2 = _cross2(c - b, p - b)
    d3 = _cross2(a - c, p - c)
    return bool(np.any((d1 > 1e-15) & (d2 > 1e-15) & (d3 > 1e-15)))


# ---------------------------------------------------------------------------------------------------- primitives


def lathe(
    profile: Sequence[ProfilePoint],
    detail: Detail,
    closed: bool = False,
    sweep: float = 360.0,
    segments: int | None = None,
) -> Mesh:
    """Revolve a (radius, height) profile about +Y. Open profiles ending off-axis are capped flat;
    a partial `sweep` (degrees) gets the profile's outline as end caps."""
    xy, corner = refine(profile, detail.subdiv, closed)
    outline = np.concatenate([xy, [[0.0, xy[-1, 1]], [0.0, xy[0, 1]]]]) if not closed else xy
    if _signed_area(outline) < 0:  # normals are computed for a counter-clockwise outline
        xy, corner = xy[::-1].copy(), corner[::-1].copy()
    xy[:, 0] = np.maximum(xy[:, 0], 0.0)
    if not closed:  # cap open ends that stop short of the axis with a crease
        if xy[0, 0] > 1e-9:
            xy, corner = np.concatenate([[[0.0, xy[0, 1]]], xy]), np.concatenate([[True], corner])
            corner[1] = True
        if xy[-1, 0] > 1e-9:
            xy, corner = np.concatenate([xy, [[0.0, xy[-1, 1]]]]), np.concatenate([corner, [True]])
            corner[-2] = True
    pts, nrm, strips = _rows(xy, corner, closed)
    full = sweep >= 359.999
    seg = max(3, round((segments or detail.segments) * (sweep / 360.0)))
    theta = np.radians(np.linspace(0.0, sweep, seg + 1))
    s, c = np.sin(theta), np.cos(theta)
    r, y = pts[:, 0:1], pts[:, 1:2]
    positions = np.stack([r * s, np.broadcast_to(y, (len(pts), seg + 1)), r * c], axis=-1).reshape(-1, 3)
    nr, ny = nrm[:, 0:1], nrm[:, 1:2]
    normals = np.stack([nr * s, np.broadcast_to(ny, (len(pts), seg + 1)), nr * c], axis=-1).reshape(-1, 3)
    faces = []
    cols = np.arange(seg)
    width = seg + 1
    for a, b in strips:
        a0, a1, b0, b1 = a * width + cols, a * width + cols + 1, b * width + cols, b * width + cols + 1
        if pts[a, 0] > 1e-9:
            faces.append(np.stack([a0, a1, b1], 1))
        if pts[b, 0] > 1e-9:
            faces.append(np.stack([a0, b1, b0], 1))
    uvs = _lathe_uvs(pts, nrm, strips, theta, positions)
    mesh = Mesh(positions, _unit(normals), np.concatenate(faces) if faces else np.zeros((0, 3), np.int64), uvs)
    if not full:
        mesh = concat([mesh, *_sweep_caps(xy, closed, theta[0], theta[-1])])
    return drop_degenerate(fix_winding(mesh))


def _lathe_uvs(
    pts: np.ndarray, nrm: np.ndarray, strips: list[tuple[int, int]], theta: np.ndarray, positions: np.ndarray
) -> np.ndarray:
    """Around × along the profile (metres; V = arc length, so grain runs up a turned leg); rows of a flat, horizontal
    ring (a cylinder's top, a plate's floor) are projected from above instead, so they are not pinched at the axis."""
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    r_ref = max(float(pts[:, 0].max()), 1e-6)
    u = np.broadcast_to(theta[None, :] * r_ref, (len(pts), len(theta)))
    v = np.broadcast_to(arc[:, None], (len(pts), len(theta)))
    uvs = np.stack([u, v], axis=-1).reshape(-1, 2).copy()
    flat_rows = np.zeros(len(pts), bool)
    for a, b in strips:
        if abs(pts[a, 1] - pts[b, 1]) < 1e-9 and min(abs(nrm[a, 1]), abs(nrm[b, 1])) > 0.999:
            flat_rows[[a, b]] = True
    if flat_rows.any():
        rows = np.repeat(flat_rows, len(theta))
        uvs[rows] = positions[rows][:, [0, 2]]
    return uvs


def _sweep_caps(xy: np.ndarray, closed: bool, t0: float, t1: float) -> list[Mesh]:
    outline = _dedupe(xy)  # open profiles reach the axis at both ends by now
    if _signed_area(outline) < 0:
        outline = outline[::-1]
    tris = triangulate_polygon(outline)
    caps = []
    for theta, sign in ((t0, -1.0), (t1, 1.0)):
        s, c = np.sin(theta), np.cos(theta)
        pos = np.stack([outline[:, 0] * s, outline[:, 1], outline[:, 0] * c], 1)
        normal = sign * np.array([c, 0.0, -s])
        caps.append(Mesh(pos, np.tile(normal, (len(pos), 1)), tris, outline.copy()))
    return caps


def _dedupe(xy: np.ndarray) -> np.ndarray:
    keep = np.ones(len(xy), bool)
    keep[1:] = np.linalg.norm(np.diff(xy, axis=0), axis=1) > 1e-9
    xy = xy[keep]
    if len(xy) > 1 and np.linalg.norm(xy[0] - xy[-1]) < 1e-9:
        xy = xy[:-1]
    return xy


def extrude(polygon: Sequence[ProfilePoint], depth: float, detail: Detail, smooth: bool = False) -> Mesh:
    """Extrude an (x, y) outline along Z, centred on z=0. Sides crease at every point unless `smooth`
    (then only at points flagged as corners, and the outline is spline-refined)."""
    pts_in = [(p[0], p[1], 1) for p in polygon] if not smooth else list(polygon)
    xy, corner = refine(pts_in, detail.subdiv if smooth else 1, closed=True)
    xy_d = _dedupe(xy)
    if len(xy_d) != len(xy):
        xy, corner = xy_d, corner[: len(xy_d)]
    if _signed_area(xy) < 0:
        xy, corner = xy[::-1].copy(), corner[::-1].copy()
    pts, nrm, strips = _rows(xy, corner, closed=True)
    h = depth / 2
    positions = np.concatenate([np.c_[pts, np.full(len(pts), -h)], np.c_[pts, np.full(len(pts), h)]])
    normals = np.tile(np.c_[nrm, np.zeros(len(nrm))], (2, 1))
    m = len(pts)
    st = np.array(strips)
    a, b = st[:, 0], st[:, 1]
    around = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    side_uvs = np.concatenate([np.c_[around, np.full(m, -h)], np.c_[around, np.full(m, h)]])  # V along the depth
    faces = np.concatenate([np.stack([a, b, b + m], 1), np.stack([a, b + m, a + m], 1)])
    side = Mesh(positions, normals, faces, side_uvs)
    tris = triangulate_polygon(xy)
    caps = [
        Mesh(np.c_[xy, np.full(len(xy), z)], np.tile([0.0, 0.0, sgn], (len(xy), 1)), tris, xy.copy())
        for z, sgn in ((-h, -1.0), (h, 1.0))
    ]
    return drop_degenerate(fix_winding(concat([side, *caps])))


_BOX_CORNERS = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)


def _face_axes(axis: int, size: np.ndarray) -> tuple[int, int]:
    """(U axis, V axis) of a face across `axis`: V along the longer side, the way a plank's grain runs."""
    a, b = (k for k in range(3) if k != axis)
    return (a, b) if size[b] >= size[a] else (b, a)


def box(size: Sequence[float], detail: Detail) -> Mesh:
    """Axis-aligned box centred on the origin: six quads, each with its own normal and planar UVs."""
    full = np.asarray(size, float)
    half = full / 2
    meshes = []
    for axis in range(3):
        u_ax, v_ax = _face_axes(axis, full)
        for sign in (-1.0, 1.0):
            pos = np.zeros((4, 3))
            pos[:, axis] = sign * half[axis]
            pos[:, u_ax] = (2 * _BOX_CORNERS[:, 0] - 1) * half[u_ax]
            pos[:, v_ax] = (2 * _BOX_CORNERS[:, 1] - 1) * half[v_ax]
            normal = np.zeros(3)
            normal[axis] = sign
            quad = np.array([[0, 1, 2], [0, 2, 3]], np.int64)
            meshes.append(Mesh(pos, np.tile(normal, (4, 1)), quad, pos[:, [u_ax, v_ax]].copy()))
    return drop_degenerate(fix_winding(concat(meshes)))


def rounded_box(size: Sequence[float], radius: float, detail: Detail) -> Mesh:
    """Box with rounded edges: points on a graded cube grid pushed out from the inner box by `radius`."""
    half = np.asarray(size, float) / 2
    radius = float(min(radius, *(half * 0.999)))
    inner = half - radius
    k = max(1, detail.segments // 8)  # grid steps across each rounded edge
    meshes = []
    for axis in range(3):
        for sign in (-1.0, 1.0):
            u_ax, v_ax = _face_axes(axis, half)
            u = _graded(half[u_ax], inner[u_ax], k)
            v = _graded(half[v_ax], inner[v_ax], k)
            uu, vv = np.meshgrid(u, v, indexing="ij")
            q = np.zeros((*uu.shape, 3))
            q[..., axis] = sign * half[axis]
            q[..., u_ax], q[..., v_ax] = uu, vv
            q = q.reshape(-1, 3)
            c = np.clip(q, -inner, inner)
            nrm = _unit(q - c)
            pos = c + radius * nrm
            nu, nv = len(u), len(v)
            i, j = np.meshgrid(np.arange(nu - 1), np.arange(nv - 1), indexing="ij")
            p00, p10, p01, p11 = i * nv + j, (i + 1) * nv + j, i * nv + j + 1, (i + 1) * nv + j + 1
            f = np.concatenate(
                [np.stack([p00, p10, p11], -1).reshape(-1, 3), np.stack([p00, p11, p01], -1).reshape(-1, 3)]
            )
            meshes.append(Mesh(pos, nrm, f, q[:, [u_ax, v_ax]].copy()))
    return drop_degenerate(fix_winding(concat(meshes)))


def _graded(h: float, inner: float, k: int) -> np.ndarray:
    """Grid coordinates across [-h, h]: k angular steps over each rounded band, one flat span between."""
    ang = np.linspace(0, np.pi / 2, k + 1)
    band = inner + (h - inner) * np.sin(ang)  # from inner to h
    coords = np.concatenate([-band[::-1], band]) if inner > 1e-9 else np.concatenate([-band[::-1], band[1:]])
    return coords


def cylinder(radius: float, height: float, detail: Detail, radius_top: float | None = None) -> Mesh:
    """Cylinder (or frustum) standing on y=0."""
    rt = radius if radius_top is None else radius_top
    return lathe([(0, 0, 1), (radius, 0, 1), (rt, height, 1), (0, height, 1)], detail)


def cone(radius: float, height: float, detail: Detail) -> Mesh:
    return lathe([(0, 0, 1), (radius, 0, 1), (0, height, 1)], detail)


def _arc(radius: float, a0: float, a1: float, n: int, cx: float = 0.0, cy: float = 0.0) -> list[ProfilePoint]:
    ang = np.radians(np.linspace(a0, a1, n + 1))
    return [(cx + radius * np.cos(t), cy + radius * np.sin(t)) for t in ang]


def sphere(radius: float, detail: Detail) -> Mesh:
    """Sphere centred on the origin (profile points are exact: no spline needed)."""
    n = max(4, detail.segments // 2)
    flat = Detail(detail.segments, 1, detail.ico, detail.flat)
    return lathe(_arc(radius, -90, 90, n), flat)


def hemisphere(radius: float, detail: Detail) -> Mesh:
    n = max(2, detail.segments // 4)
    flat = Detail(detail.segments, 1, detail.ico, detail.flat)
    return lathe([*_arc(radius, 0, 90, n)], flat)


def capsule(radius: float, height: float, detail: Detail) -> Mesh:
    """Capsule standing on y=0, total height `height` (>= 2 radius)."""
    n = max(2, detail.segments // 4)
    body = max(height - 2 * radius, 0.0)
    flat = Detail(detail.segments, 1, detail.ico, detail.flat)
    prof = _arc(radius, -90, 0, n, 0, radius) + _arc(radius, 0, 90, n, 0, radius + body)
    return lathe(prof, flat)


def torus(major: float, minor: float, detail: Detail, sweep: float = 360.0) -> Mesh:
    """Torus about +Y centred on the origin; a partial `sweep` (degrees) makes handles and arches."""
    n = max(6, detail.segments // 2)
    circle = _arc(minor, 0, 360, n, major, 0.0)[:-1]
    flat = Detail(detail.segments, 1, detail.ico, detail.flat)
    return lathe(circle, flat, closed=True, sweep=sweep)


def tube(path: Sequence[Sequence[float]], radii: Sequence[float] | float, detail: Detail, caps: bool = True) -> Mesh:
    """A circular cross-section swept along a 3D path (spline-refined), radius interpolated along it.
    Frames by parallel transport so the tube does not twist."""
    ctrl = np.asarray(path, float)
    rad_ctrl = np.broadcast_to(np.asarray(radii, float), (len(ctrl),))
    pts = _spline3(ctrl, detail.subdiv)
    rad = np.interp(np.linspace(0, 1, len(pts)), np.linspace(0, 1, len(ctrl)), rad_ctrl)
    tangents = _unit(np.gradient(pts, axis=0))
    ref = np.array([0.0, 1.0, 0.0]) if abs(tangents[0, 1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    normal = _unit(np.cross(np.cross(tangents[0], ref), tangents[0]))
    frames_n, frames_b = [], []
    for t in tangents:
        normal = _unit(normal - t * np.dot(normal, t))
        frames_n.append(normal)
        frames_b.append(np.cross(t, normal))
    fn, fb = np.array(frames_n), np.array(frames_b)
    seg = max(5, detail.segments // 2)
    ang = np.linspace(0, 2 * np.pi, seg + 1)
    ring = np.cos(ang)[None, :, None] * fn[:, None, :] + np.sin(ang)[None, :, None] * fb[:, None, :]
    positions = (pts[:, None, :] + rad[:, None, None] * ring).reshape(-1, 3)
    normals = ring.reshape(-1, 3)
    w = seg + 1
    i, j = np.meshgrid(np.arange(len(pts) - 1), np.arange(seg), indexing="ij")
    a0, a1, b0, b1 = i * w + j, i * w + j + 1, (i + 1) * w + j, (i + 1) * w + j + 1
    faces = np.concatenate([np.stack([a0, b0, b1], -1).reshape(-1, 3), np.stack([a0, b1, a1], -1).reshape(-1, 3)])
    along = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    uu, vv = np.meshgrid(ang * float(rad.mean()), along)  # around × along the path: grain follows a handle
    parts = [Mesh(positions, normals, faces, np.stack([uu, vv], -1).reshape(-1, 2))]
    if caps:
        for end, t_sign in ((0, -1.0), (len(pts) - 1, 1.0)):
            rim = pts[end] + rad[end] * ring[end, :-1]
            centre = pts[end][None]
            pos = np.concatenate([centre, rim])
            tri = np.array([(0, 1 + k, 1 + (k + 1) % seg) for k in range(seg)], np.int64)
            flat = rad[end] * np.c_[np.cos(ang[:-1]), np.sin(ang[:-1])]
            uvs = np.concatenate([[[0.0, 0.0]], flat])
            parts.append(Mesh(pos, np.tile(t_sign * tangents[end], (len(pos), 1)), tri, uvs))
    return drop_degenerate(fix_winding(concat(parts)))


def _spline3(ctrl: np.ndarray, subdiv: int) -> np.ndarray:
    if subdiv <= 1 or len(ctrl) < 3:
        return ctrl
    ext = np.concatenate([2 * ctrl[:1] - ctrl[1:2], ctrl, 2 * ctrl[-1:] - ctrl[-2:-1]])
    t = np.linspace(0, 1, subdiv, endpoint=False)[:, None]
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        out.append(
            0.5
            * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)
        )
    out.append(ctrl[-1:])
    return np.concatenate(out)


_ICO_CACHE: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _icosphere(level: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit icosphere; cached per level (pure function of `level`, so caching cannot change any output)."""
    if level in _ICO_CACHE:
        return _ICO_CACHE[level]
    t = (1 + 5**0.5) / 2
    v = np.array(
        [
            [-1, t, 0],
            [1, t, 0],
            [-1, -t, 0],
            [1, -t, 0],
            [0, -1, t],
            [0, 1, t],
            [0, -1, -t],
            [0, 1, -t],
            [t, 0, -1],
            [t, 0, 1],
            [-t, 0, -1],
            [-t, 0, 1],
        ],
        float,
    )
    f = np.array(
        [
            [0, 11, 5],
            [0, 5, 1],
            [0, 1, 7],
            [0, 7, 10],
            [0, 10, 11],
            [1, 5, 9],
            [5, 11, 4],
            [11, 10, 2],
            [10, 7, 6],
            [7, 1, 8],
            [3, 9, 4],
            [3, 4, 2],
            [3, 2, 6],
            [3, 6, 8],
            [3, 8, 9],
            [4, 9, 5],
            [2, 4, 11],
            [6, 2, 10],
            [8, 6, 7],
            [9, 8, 1],
        ],
        np.int64,
    )
    v = _unit(v)
    for _ in range(level):
        edges = np.sort(np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]]), axis=1)
        uniq, inv = np.unique(edges, axis=0, return_inverse=True)
        mids = _unit(v[uniq[:, 0]] + v[uniq[:, 1]])
        base = len(v)
        v = np.concatenate([v, mids])
        inv = inv.reshape(3, -1) + base
        ab, bc, ca = inv[0], inv[1], inv[2]
        f = np.concatenate(
            [
                np.stack([f[:, 0], ab, ca], 1),
                np.stack([f[:, 1], bc, ab], 1),
                np.stack([f[:, 2], ca, bc], 1),
                np.stack([ab, bc, ca], 1),
            ]
        )
    _ICO_CACHE[level] = (v, f)
    return v, f


def blob(
    radius: float, detail: Detail, rng: np.random.Generator, roughness: float = 0.25, lumps: int = 6, freq: float = 2.2
) -> Mesh:
    """A lumpy sphere (rocks, foliage, clouds): the unit icosphere displaced by a few random sine waves
    (`freq` = their spatial frequency: low for soft bulges, higher for craggy stone)."""
    v, f = _icosphere(detail.ico)
    waves = rng.normal(size=(lumps, 3)) * freq
    phase = rng.uniform(0, 2 * np.pi, lumps)
    amp = rng.uniform(0.5, 1.0, lumps) / lumps
    disp = np.sin(v @ waves.T + phase) @ amp
    pos = v * (radius * (1.0 + roughness * disp))[:, None]
    return triplanar(fix_winding(Mesh(pos, vertex_normals(pos, f), f.copy())))


# --------------------------------------------------------------------------------------------------- world UVs

_UP = np.array([0.0, 1.0, 0.0])


def _plane_frame(normal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(U, V) unit axes of a plane: U horizontal, V down the plane's slope (down the image for a wall)."""
    across = np.cross(_UP, normal)
    if np.linalg.norm(across) < 1e-6:  # a floor or a ceiling: fixed axes
        return np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])
    across /= np.linalg.norm(across)
    return across, np.cross(normal, across)


def triplanar(mesh: Mesh) -> Mesh:
    """World-aligned UVs (metres): every face is projected on the plane of its dominant direction — walls facing
    ±x or ±z, floors, or roof slopes facing one of four ways — with U horizontal, so courses of brick, stone and
    tiles stay level. Vertices are split where neighbouring faces take different projections (normals are kept,
    so shading stays smooth)."""
    if not len(mesh.faces):
        return Mesh(mesh.positions, mesh.normals, mesh.faces, np.zeros((len(mesh.positions), 2)))
    fn = _unit(face_normals(mesh.positions, mesh.faces))
    axis = np.argmax(np.abs(fn), axis=1)
    level = np.abs(fn[:, 1]) > 0.95
    side = np.where(np.abs(fn[:, 0]) >= np.abs(fn[:, 2]), 0, 2)  # which way a slope faces
    sign = np.sign(fn[np.arange(len(fn)), np.where(axis == 1, np.where(level, 1, side), axis)])
    group = np.where(axis != 1, axis * 2, np.where(level, 10, 4 + side)) * 2 + (sign > 0)
    positions, normals, uvs, faces, base = [], [], [], [], 0
    for key in np.unique(group):
        sel = group == key
        used, local = np.unique(mesh.faces[sel].ravel(), return_inverse=True)
        u_axis, v_axis = _plane_frame(_unit(fn[sel].mean(axis=0)))
        p = mesh.positions[used]
        positions.append(p)
        normals.append(mesh.normals[used])
        uvs.append(np.stack([p @ u_axis, p @ v_axis], axis=1))
        faces.append(local.reshape(-1, 3) + base)
        base += len(used)
    return Mesh(np.concatenate(positions), np.concatenate(normals), np.concatenate(faces), np.concatenate(uvs))
