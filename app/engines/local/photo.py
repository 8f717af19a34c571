"""Photo → 3D and multiview → 3D: the embedded engine for image jobs.

    generate_from_photos(images, tier, seed, progress) -> EngineOutput

One photo is inflated (`inflate.py`); 2–4 photos, taken in the order front, right, back, top (`projection.py`),
give a visual hull (`visualhull.py`). Both become a soft field that `surface.py` meshes within the tier's face budget,
textured from the photos (`texture.py`) in a power-of-two atlas of the tier's texture size.
Steps: "image" (decode, cut out the subject), "mesh" (field, surface, budget), "finish" (texture, GLB, thumbnail).
Deterministic: the same images and tier give the same bytes (the seed changes nothing yet; it is kept for the API).
The model is 1 unit (metre) tall, standing on y=0, centred on x/z.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import numpy as np
from PIL import Image, ImageOps

from app.engines.local.gltf import PbrMaterial, Primitive, Texture, write_glb
from app.engines.local.inflate import depth_of, inflate_field
from app.engines.local.projection import VIEW_ORDER, View, make_views, world_box
from app.engines.local.silhouette import main_object, segment
from app.engines.local.surface import EmptyShape, field_to_mesh
from app.engines.local.texture import TexturedMesh, texture_mesh
from app.engines.local.thumbnail import Surface, linear_texture, render_thumbnail
from app.engines.local.visualhull import hull_field, make_grid
from app.engines.output import EngineOutput
from app.tiers import Tier

Progress = Callable[[str, int], None]

GRID_CELLS = {"draft": 80, "standard": 120, "high": 160}  # voxels along the longest side
# faces kept after smoothing: a smooth surface needs far fewer than the tier allows (the rest would only describe
# the voxel grid); never more than the tier's budget
FACE_TARGET = {"draft": 8_000, "standard": 20_000, "high": 60_000}
WORK_SIDE = {"draft": 1024, "standard": 1024, "high": 2048}  # photos are analysed at most this large
MIN_SUBJECT_PIXELS = 200


class PhotoInputError(ValueError):
    """A photo cannot be reconstructed; the message says which and why."""


def decode_photo(data: bytes, max_side: int) -> np.ndarray:
    """uint8 RGBA, upright (EXIF orientation applied), at most `max_side` pixels on the longer side."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        rgba = upright.convert("RGBA")
    if max(rgba.size) > max_side:
        rgba.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(rgba)


def cut_out(rgba: np.ndarray, position: int) -> tuple[np.ndarray, np.ndarray]:
    """(RGB, mask of the main subject) of one photo."""
    mask = main_object(segment(rgba).mask)
    if mask.sum() < MIN_SUBJECT_PIXELS:
        raise PhotoInputError(
            f"no object stands out from the background in photo {position} ({VIEW_ORDER[position - 1]} view); "
            "reshoot it on a plain background that contrasts with the object"
        )
    return np.ascontiguousarray(rgba[..., :3]), mask


def reconstruct(views: list[View], tier: Tier) -> tuple[np.ndarray, object]:
    """The soft field and its grid: inflation for one view, visual hull for several."""
    cells = GRID_CELLS[tier.id]
    if len(views) == 1:
        low, high = world_box(views, depth=depth_of(views[0]))
        grid = make_grid(low, high, cells)
        return inflate_field(views[0], grid), grid
    low, high = world_box(views)
    grid = make_grid(low, high, cells)
    return hull_field(views, grid), grid


def grounded(mesh: TexturedMesh) -> TexturedMesh:
    lo, hi = mesh.positions.min(0), mesh.positions.max(0)
    shift = np.array([-(lo[0] + hi[0]) / 2, -lo[1], -(lo[2] + hi[2]) / 2])
    return TexturedMesh(mesh.positions + shift, mesh.normals, mesh.uvs, mesh.faces, mesh.texture)


THUMBNAIL_TEXELS = 512  # the photo atlas as the thumbnail samples it


def surfaces(mesh: TexturedMesh) -> list[Surface]:
    """The mesh for the thumbnail renderer (texture in linear light, at most THUMBNAIL_TEXELS on a side)."""
    texture = linear_texture(mesh.texture, THUMBNAIL_TEXELS)
    return [Surface(mesh.positions, mesh.faces, (1.0, 1.0, 1.0, 1.0), mesh.normals, mesh.uvs, texture)]


def to_glb(mesh: TexturedMesh, pbr: bool, name: str) -> bytes:
    """The textured mesh as a GLB: non-PBR tiers get a flat matte look, the high tier a satin one."""
    material = PbrMaterial("photo", roughness=0.8 if pbr else 1.0, base_color_texture=Texture.jpeg(mesh.texture))
    uvs = np.clip(mesh.uvs, 0.0, 1.0)
    return write_glb([Primitive(mesh.positions, mesh.normals, mesh.faces, material, uvs)], name=name)


def describe(views: Sequence[View]) -> tuple[str, tuple[str, ...]]:
    if len(views) == 1:
        return "inflate", (
            "one photo: the depth is guessed by inflating the outline; send 2–4 views (front, right, back, top) "
            "for a truer shape",
        )
    return "visual_hull", (f"{len(views)} views read as {', '.join(v.name for v in views)}",)


def generate_from_photos(images: Sequence[bytes], tier: Tier, seed: int, progress: Progress) -> EngineOutput:
    """Build a textured GLB (and thumbnail) from 1–4 encoded photos of one object."""
    if not 1 <= len(images) <= len(VIEW_ORDER):
        raise PhotoInputError(f"send 1 to {len(VIEW_ORDER)} photos, not {len(images)}")
    progress("image", 0)
    photos = []
    for i, data in enumerate(images, 1):
        photos.append(cut_out(decode_photo(data, WORK_SIDE[tier.id]), i))
        progress("image", int(100 * i / len(images)))
    views = make_views(photos)

    progress("mesh", 0)
    field, grid = reconstruct(views, tier)
    progress("mesh", 40)
    try:
        faces = min(FACE_TARGET[tier.id], tier.face_budget)
        mesh = field_to_mesh(field, grid, faces)  # type: ignore[arg-type]
    except EmptyShape:
        raise PhotoInputError(
            "the photos do not show one object from the front, right, back and top (in that order); their "
            "outlines leave nothing in common"
        ) from None
    progress("mesh", 100)

    progress("finish", 0)
    textured = grounded(texture_mesh(mesh, views, tier.texture_size))
    progress("finish", 30)
    recipe, notes = describe(views)
    glb = to_glb(textured, tier.pbr, recipe)
    progress("finish", 60)
    png = render_thumbnail(surfaces(textured), tier.thumbnail_size)
    progress("finish", 100)
    return EngineOutput(
        glb=glb, thumbnail_png=png, faces=len(textured.faces), recipe=recipe, materials=("photo",), notes=notes
    )
