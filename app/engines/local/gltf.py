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

import numpy as np

from app.engines.local.geometry import Mesh
from app.engines.local.glb import ARRAY_BUFFER, FLOAT, BufferBuilder
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
        pos = np.ascontiguousarray(mesh.positions, dtype=np.float32)
        nrm = mesh.normals / np.linalg.norm(mesh.normals, axis=1, keepdims=True)
        nrm = np.ascontiguousarray(nrm, dtype=np.float32)
        materials.append(material_json(material, pbr))
        primitives.append(
            {
                "attributes": {
                    "POSITION": buffer.accessor(pos, FLOAT, "VEC3", ARRAY_BUFFER, bounds=True),
                    "NORMAL": buffer.accessor(nrm, FLOAT, "VEC3", ARRAY_BUFFER),
                },
                "indices": buffer.indices(mesh.faces, len(pos)),
                "material": len(materials) - 1,
                "mode": 4,
            }
        )
    return buffer.pack(
        {
            "asset": {"version": "2.0", "generator": GENERATOR},
            "scene": 0,
            "scenes": [{"nodes": [0]}],
            "nodes": [{"mesh": 0, "name": name}],
            "meshes": [{"name": name, "primitives": primitives}],
            "materials": materials,
        }
    )
