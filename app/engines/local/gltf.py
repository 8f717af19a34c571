"""A minimal, deterministic GLB writer for (material, mesh) groups.

Why not trimesh's exporter: it omits bufferView.target, writes extras we don't control, and we want byte-identical
output for identical input. This writer emits exactly: one node, one mesh, one primitive per material with POSITION
(min/max), NORMAL and indices, each in its own bufferView with its target set. Materials are pbrMetallicRoughness
factors only (no textures yet).

Non-PBR tiers (draft, standard) export base colour only: metallicFactor 0 and roughnessFactor 1, so every viewer
shows the same flat-lit colour; the high tier exports the material's real metallic/roughness.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence

import numpy as np

from app.engines.local.geometry import Mesh
from app.engines.local.materials import Material

GENERATOR = "forge402 local engine"
ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
FLOAT, UNSIGNED_SHORT, UNSIGNED_INT = 5126, 5123, 5125


def _pad(data: bytes, fill: bytes) -> bytes:
    return data + fill * (-len(data) % 4)


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
    blob = bytearray()
    accessors: list[dict] = []
    views: list[dict] = []
    primitives: list[dict] = []
    materials: list[dict] = []

    def add(array: np.ndarray, component: int, kind: str, target: int, bounds: bool = False) -> int:
        data = array.tobytes()
        views.append({"buffer": 0, "byteOffset": len(blob), "byteLength": len(data), "target": target})
        blob.extend(_pad(data, b"\0"))
        acc: dict = {"bufferView": len(views) - 1, "componentType": component, "count": len(array), "type": kind}
        if bounds:
            acc["min"] = [float(v) for v in array.min(axis=0)]
            acc["max"] = [float(v) for v in array.max(axis=0)]
        accessors.append(acc)
        return len(accessors) - 1

    for material, mesh in groups:
        if not len(mesh.faces):
            continue
        pos = np.ascontiguousarray(mesh.positions, dtype=np.float32)
        nrm = mesh.normals / np.linalg.norm(mesh.normals, axis=1, keepdims=True)
        nrm = np.ascontiguousarray(nrm, dtype=np.float32)
        small = len(pos) < 65535
        idx = np.ascontiguousarray(mesh.faces.ravel(), dtype=np.uint16 if small else np.uint32)
        materials.append(material_json(material, pbr))
        primitives.append(
            {
                "attributes": {
                    "POSITION": add(pos, FLOAT, "VEC3", ARRAY_BUFFER, bounds=True),
                    "NORMAL": add(nrm, FLOAT, "VEC3", ARRAY_BUFFER),
                },
                "indices": add(idx, UNSIGNED_SHORT if small else UNSIGNED_INT, "SCALAR", ELEMENT_ARRAY_BUFFER),
                "material": len(materials) - 1,
                "mode": 4,
            }
        )
    doc = {
        "asset": {"version": "2.0", "generator": GENERATOR},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": name}],
        "meshes": [{"name": name, "primitives": primitives}],
        "materials": materials,
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob)}],
    }
    js = _pad(json.dumps(doc, separators=(",", ":")).encode(), b" ")
    bin_chunk = bytes(blob)
    total = 12 + 8 + len(js) + 8 + len(bin_chunk)
    return b"".join(
        [
            struct.pack("<4sII", b"glTF", 2, total),
            struct.pack("<I4s", len(js), b"JSON"),
            js,
            struct.pack("<I4s", len(bin_chunk), b"BIN\0"),
            bin_chunk,
        ]
    )
