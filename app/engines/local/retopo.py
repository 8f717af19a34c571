"""Retopology on the embedded engine: quadric decimation of a GLB/OBJ source to `face_limit` (±5 %), then
optionally quads (an OBJ; the GLB keeps the triangles) and a bake of the source's colours onto the low-poly mesh's
own texture. Runs in the engine process pool; returns its output (the job's executor stores it)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.engines.output import EngineOutput, RetopoFigures, RetopoOutput

TOLERANCE = 0.05
SRGB_GREY = np.array([200, 200, 200, 255], np.uint8)
GENERATOR = "forge402 retopology"


@dataclass(frozen=True, slots=True)
class Source:
    positions: np.ndarray  # (N, 3) world space, unwelded (per-vertex colours stay exact)
    faces: np.ndarray  # (M, 3)
    colors: np.ndarray  # (N, 4) uint8 sRGB


def _colors_of(geom: object, count: int) -> np.ndarray:
    visual = getattr(geom, "visual", None)
    try:
        if visual is not None and visual.kind == "texture":
            visual = visual.to_color()
        colors = np.asarray(visual.vertex_colors, np.uint8) if visual is not None else None  # type: ignore[union-attr]
    except Exception:
        colors = None
    if colors is None or len(colors) != count:
        material = getattr(getattr(geom, "visual", None), "material", None)
        factor = getattr(material, "baseColorFactor", None)
        colour = np.asarray(factor, np.uint8) if factor is not None else SRGB_GREY
        colors = np.tile(colour[:4] if len(colour) >= 4 else np.r_[colour[:3], 255], (count, 1))
    return colors[:, :4].astype(np.uint8)


def load_source(data: bytes, fmt: str) -> Source:
    import trimesh

    scene = trimesh.load(io.BytesIO(data), file_type=fmt, force="scene", process=False)
    positions, faces, colors, offset = [], [], [], 0
    for node in scene.graph.nodes_geometry:
        transform, name = scene.graph[node]
        geom = scene.geometry[name]
        if not isinstance(geom, trimesh.Trimesh) or not len(geom.faces):
            continue
        positions.append(trimesh.transform_points(np.asarray(geom.vertices, np.float64), transform))
        faces.append(np.asarray(geom.faces, np.int64) + offset)
        colors.append(_colors_of(geom, len(geom.vertices)))
        offset += len(geom.vertices)
    if not positions:
        raise ValueError("the source has no triangle geometry")
    return Source(np.concatenate(positions), np.concatenate(faces), np.concatenate(colors))


def weld(positions: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = max(float(np.ptp(positions, axis=0).max()), 1e-9)
    key = np.round(positions / (scale * 1e-7)).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    welded = inverse.reshape(-1)[faces]
    keep = (welded[:, 0] != welded[:, 1]) & (welded[:, 1] != welded[:, 2]) & (welded[:, 0] != welded[:, 2])
    return positions[first], welded[keep]


def decimate_to(positions: np.ndarray, faces: np.ndarray, target: int) -> tuple[np.ndarray, np.ndarray]:
    """Quadric decimation landing within TOLERANCE of `target` faces (a second pass corrects a first's miss)."""
    import fast_simplification

    if len(faces) <= target * (1 + TOLERANCE):
        return positions, faces
    points, tris = positions.astype(np.float64), faces.astype(np.int64)
    for agg in (3, 5, 7, 9):  # the simplifier may stop short (refused collapses): retry more aggressively
        if len(tris) <= target * (1 + TOLERANCE):
            break
        points, tris = fast_simplification.simplify(points, tris, target_count=target, agg=agg)
    return np.asarray(points, np.float64), np.asarray(tris, np.int64)


def is_watertight(positions: np.ndarray, faces: np.ndarray) -> bool:
    import trimesh

    return bool(trimesh.Trimesh(positions, faces, process=False).is_watertight)


def vertex_normals(positions: np.ndarray, faces: np.ndarray) -> np.ndarray:
    tri = positions[faces]
    face_n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])  # area-weighted
    normals = np.zeros_like(positions)
    for k in range(3):
        np.add.at(normals, faces[:, k], face_n)
    return normals


def retopologize(
    data: bytes, fmt: str, face_limit: int, quad: bool, bake_colours: bool, report: Callable[[str, int], None]
) -> RetopoOutput:
    from app.engines.local.bake import bake
    from app.engines.local.gltf import PbrMaterial, Primitive, Texture, write_glb
    from app.engines.local.quads import obj_text, pair_triangles
    from app.engines.local.thumbnail import Surface, render_thumbnail

    report("image", 5)
    source = load_source(data, fmt)
    positions, faces = weld(source.positions, source.faces)
    source_watertight = is_watertight(positions, faces)
    report("mesh", 20)
    notes = [f"source: {len(source.faces):,} faces{' (watertight)' if source_watertight else ''}"]
    quads_mesh = None
    if quad:  # pairs of triangles become quads: aim at ~2 triangles per delivered polygon, then correct once
        target = 2 * face_limit
        for _ in range(2):
            low_pos, low_faces = decimate_to(positions, faces, min(target, len(faces)))
            quads_mesh = pair_triangles(low_pos, low_faces)
            polygons = len(quads_mesh.quads) + len(quads_mesh.triangles)
            if abs(polygons - face_limit) <= TOLERANCE * face_limit or target >= len(faces):
                break
            target = round(target * face_limit / polygons)
    else:
        low_pos, low_faces = decimate_to(positions, faces, face_limit)
    watertight = is_watertight(low_pos, low_faces)
    report("mesh", 60)
    normals = vertex_normals(low_pos, low_faces)
    mean = source.colors.astype(np.float64).mean(axis=0) / 255.0
    linear = tuple(float(c) ** 2.2 for c in mean[:3])
    if bake_colours:
        baked = bake(low_pos, normals, low_faces, source.positions, source.faces, source.colors)
        report("finish", 85)
        material = PbrMaterial("retopo", roughness=0.8, base_color_texture=Texture.png(baked.texture_png))
        primitive = Primitive(baked.positions, baked.normals, baked.faces, material, baked.uvs)
        glb = write_glb([primitive], name="retopo", generator=GENERATOR)
        notes.append("the source's colours were baked onto a 1024×1024 texture on the new mesh's own UV atlas")
    else:
        material = PbrMaterial("retopo", (*linear, 1.0), roughness=0.8)  # type: ignore[arg-type]
        glb = write_glb([Primitive(low_pos, normals, low_faces, material)], name="retopo", generator=GENERATOR)
    thumbnail = render_thumbnail([Surface(low_pos, low_faces, (*linear, 1.0), normals)], 256)  # type: ignore[arg-type]
    obj, quads, tris = None, 0, len(low_faces)
    if quads_mesh is not None:
        obj, quads, tris = obj_text(quads_mesh), len(quads_mesh.quads), len(quads_mesh.triangles)
        notes.append(f"quads: {quads:,} quads and {tris:,} triangles ({quads_mesh.quad_ratio:.1%} quads), in the OBJ")
    polygons = quads + tris if quad else len(low_faces)
    notes.append(f"reduced to {polygons:,} faces (asked {face_limit:,}){'; watertight' if watertight else ''}")
    model = EngineOutput(glb, thumbnail, len(low_faces), "retopo", notes=tuple(notes), quad_obj=obj)
    figures = RetopoFigures(
        source_faces=len(source.faces), faces=polygons, quads=quads, triangles=tris if quad else len(low_faces),
        watertight=watertight, textured=bake_colours, formats=("glb", "obj") if obj is not None else ("glb",),
    )  # fmt: skip
    return RetopoOutput(model, figures)
