"""A GLB for one triangle mesh with an optional base-colour texture (retopology output). Deterministic, validator
clean: POSITION with min/max, unit NORMALs, TEXCOORD_0 when textured, indices, the PNG in its own bufferView."""

from __future__ import annotations

import numpy as np

from app.engines.local.glb import ARRAY_BUFFER, CLAMP_TO_EDGE, FLOAT, LINEAR, LINEAR_MIPMAP_LINEAR, BufferBuilder


def unit_normals(normals: np.ndarray) -> np.ndarray:
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    out = np.where(length > 1e-12, normals / np.maximum(length, 1e-12), np.array([0.0, 1.0, 0.0]))
    return out.astype(np.float32)


def write_mesh_glb(
    positions: np.ndarray,
    normals: np.ndarray,
    faces: np.ndarray,
    *,
    uvs: np.ndarray | None = None,
    texture_png: bytes | None = None,
    base_color: tuple[float, float, float, float] = (0.8, 0.8, 0.8, 1.0),
    name: str = "retopo",
    generator: str = "forge402 retopology",
) -> bytes:
    buffer = BufferBuilder()
    pos = np.ascontiguousarray(positions, dtype=np.float32)
    attributes = {
        "POSITION": buffer.accessor(pos, FLOAT, "VEC3", ARRAY_BUFFER, bounds=True),
        "NORMAL": buffer.accessor(np.ascontiguousarray(unit_normals(normals)), FLOAT, "VEC3", ARRAY_BUFFER),
    }
    material: dict = {"name": name, "pbrMetallicRoughness": {"metallicFactor": 0.0, "roughnessFactor": 0.8}}
    texture: dict = {}
    if uvs is not None and texture_png is not None:
        uv = np.ascontiguousarray(uvs, dtype=np.float32)
        attributes["TEXCOORD_0"] = buffer.accessor(uv, FLOAT, "VEC2", ARRAY_BUFFER)
        texture["images"] = [{"bufferView": buffer.view(texture_png, None), "mimeType": "image/png"}]
        texture["samplers"] = [
            {"magFilter": LINEAR, "minFilter": LINEAR_MIPMAP_LINEAR, "wrapS": CLAMP_TO_EDGE, "wrapT": CLAMP_TO_EDGE}
        ]
        texture["textures"] = [{"sampler": 0, "source": 0}]
        material["pbrMetallicRoughness"]["baseColorTexture"] = {"index": 0}
    else:
        material["pbrMetallicRoughness"]["baseColorFactor"] = [round(float(c), 6) for c in base_color]
    primitive = {"attributes": attributes, "indices": buffer.indices(faces, len(pos)), "material": 0, "mode": 4}
    return buffer.pack(
        {
            "asset": {"version": "2.0", "generator": generator},
            "scene": 0,
            "scenes": [{"nodes": [0]}],
            "nodes": [{"mesh": 0, "name": name}],
            "meshes": [{"name": name, "primitives": [primitive]}],
            "materials": [material],
            **texture,
        }
    )
