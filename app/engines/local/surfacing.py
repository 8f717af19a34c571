"""Finishing a text model's surfaces: flat colours at the draft tier; procedural textures (albedo, and normal maps
at the PBR tier) at the standard and high tiers; then the GLB and the thumbnail from the same dressed meshes.

A material's pattern (`patterns.LOOKS`) is generated at the tier's texture size (or a fraction of it for subtle
patterns), its colour baked in, and laid on the parts' own UVs (metres) scaled to one repeat per `repeat_for`
metres. Textures are made one material at a time, so at most one full-size texture is in memory at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from app.engines.local import geometry as g
from app.engines.local.gltf import PbrMaterial, Primitive, Texture, write_glb
from app.engines.local.materials import Material
from app.engines.local.patterns import LOOKS, WORLD_ALIGNED, repeat_for, texture
from app.engines.local.thumbnail import Surface, encode_png, linear_texture, render_view
from app.tiers import Tier

__all__ = ["WORLD_ALIGNED", "Dressed", "dress", "textured_tier", "to_glb", "to_thumbnail"]

PATTERN_JPEG_QUALITY = 85
THUMBNAIL_TEXELS = 128  # the thumbnail samples a small copy of each texture (it shows a model a few hundred px big)
MIN_TEXTURE = 64
TEXELS_PER_SPAN = 3.0  # a part spanning a third of a repeat or more gets the full texture


@dataclass(frozen=True, slots=True)
class Dressed:
    """One material group ready to write: its mesh, its glTF material, UVs in texture repeats, and a small linear
    copy of its texture for the thumbnail."""

    material: Material
    mesh: g.Mesh
    pbr: PbrMaterial
    uvs: np.ndarray | None = None
    preview: np.ndarray | None = None


def textured_tier(tier: Tier) -> bool:
    """Standard and high carry textures; draft stays flat colours (its budget is speed)."""
    return tier.id != "draft"


def _size(tier: Tier, fraction: float, span: float) -> int:
    """Texels along a texture's edge: the tier's size (or the pattern's fraction of it), less for a part that
    shows only a little of one repeat (a button does not need 2048² texels). A power of two, as mip-mapping wants."""
    wanted = tier.texture_size * fraction * min(1.0, max(span, 1e-3) * TEXELS_PER_SPAN)
    size = int(min(tier.texture_size * fraction, max(MIN_TEXTURE, wanted)))
    return 1 << (size.bit_length() - 1)


def _seed(seed: int, material: Material) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}\x00{material.name}".encode()).digest()[:8], "little")


def _textured(material: Material, mesh: g.Mesh, tier: Tier, extent: float, seed: int) -> Dressed:
    look = LOOKS[material.pattern]  # type: ignore[index]
    if mesh.uvs is None:  # decimation dropped the parts' UVs: project world-aligned ones
        mesh = g.triplanar(mesh)
    uvs = mesh.uvs / repeat_for(look, extent)  # type: ignore[operator]
    size = _size(tier, look.size, float(np.ptp(uvs, axis=0).max()))
    strength = look.normal * size / 512 if tier.pbr else 0.0  # normal maps at the PBR tier only
    albedo, normals = texture(material.pattern, material.color, size, _seed(seed, material), strength)  # type: ignore[arg-type]
    normal = None if normals is None else Texture.jpeg(normals, repeat=True, quality=PATTERN_JPEG_QUALITY)
    del normals
    pbr = PbrMaterial(
        material.name,
        (1.0, 1.0, 1.0, material.alpha),
        material.metallic if tier.pbr else 0.0,
        material.roughness if tier.pbr else 1.0,
        base_color_texture=Texture.jpeg(albedo, repeat=True, quality=PATTERN_JPEG_QUALITY),
        normal_texture=normal,
    )
    return Dressed(material, mesh, pbr, uvs, linear_texture(albedo, THUMBNAIL_TEXELS))


def dress(
    groups: Sequence[tuple[Material, g.Mesh]], tier: Tier, seed: int, progress: Callable[[int], None] | None = None
) -> list[Dressed]:
    """Each group's glTF material: textured where the tier and the material call for it, else flat."""
    allpos = np.concatenate([m.positions for _, m in groups])
    extent = float(np.ptp(allpos, axis=0).max())
    out = []
    for i, (material, mesh) in enumerate(groups):
        if textured_tier(tier) and material.pattern and len(mesh.faces):
            out.append(_textured(material, mesh, tier, extent, seed))
        else:
            out.append(Dressed(material, mesh, material.pbr_material(tier.pbr)))
        if progress:
            progress(int(100 * (i + 1) / len(groups)))
    return out


def to_glb(dressed: Sequence[Dressed], name: str) -> bytes:
    return write_glb([Primitive(d.mesh.positions, d.mesh.normals, d.mesh.faces, d.pbr, d.uvs) for d in dressed], name)


def to_thumbnail(dressed: Sequence[Dressed], size: int) -> bytes:
    """A 3/4 view PNG, textures included (tiled as in the GLB)."""
    surfaces = []
    for d in dressed:
        rgba = d.material.linear_rgba() if d.preview is None else (1.0, 1.0, 1.0, d.material.alpha)
        surfaces.append(Surface(d.mesh.positions, d.mesh.faces, rgba, d.mesh.normals, d.uvs, d.preview, wrap=True))
    rgba, _ = render_view(surfaces, size=size, ssaa=2 if size <= 512 else 1)
    return encode_png(rgba)
