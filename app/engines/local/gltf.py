"""A minimal, deterministic GLB writer for (material, mesh) groups.

Why not trimesh's exporter: it omits bufferView.target, writes extras we don't control, and we want byte-identical
output for identical input. This writer emits exactly: one node, one mesh, one primitive per material with POSITION
(min/max), NORMAL and indices, each in its own bufferView with its target set. Materials are pbrMetallicRoughness
factors only (no textures yet).

Non-PBR tiers (draft, standard) export base colour only: metallicFactor 0 and roughnessFactor 1, so every viewer
shows the same flat-lit colour; the high tier exports the material's real metallic/roughness.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.engines.local.geometry import Mesh
from app.engines.local.glb import BufferBuilder, one_mesh_document
from app.engines.local.materials import Material

GENERATOR = "forge402 local engine"


def material_json(material: Material, pbr: bool) -> dict:
    r, g, b, a = (round(float(c), 6) for c in material.linear_rgba())
    out: dict = {
        "name": material.name,
        "pbrMetallicRoughness": {
            "baseColorFactor": [r, g, b, a],
            "metallicFactor": round(material.metallic, 4) if pbr else 0.0,
            "roughnessFactor": round(material.roughness, 4) if pbr else 1.0,
        },
    }
    if a < 1.0:
        out["alphaMode"] = "BLEND"
    return out


def export_glb(groups: Sequence[tuple[Material, Mesh]], pbr: bool, name: str = "model") -> bytes:
    """Serialise material groups into a GLB (glTF 2.0 binary)."""
    buffer = BufferBuilder()
    primitives: list[dict] = []
    materials: list[dict] = []
    for material, mesh in groups:
        if not len(mesh.faces):
            continue
        materials.append(material_json(material, pbr))
        primitives.append(
            {
                "attributes": buffer.surface(mesh.positions, mesh.normals),
                "indices": buffer.indices(mesh.faces, len(mesh.positions)),
                "material": len(materials) - 1,
                "mode": 4,
            }
        )
    return buffer.pack(one_mesh_document(name, primitives, GENERATOR, materials=materials))
