"""A GLB for one triangle mesh with an optional base-colour texture (retopology output). Deterministic, validator
clean: POSITION with min/max, unit NORMALs, TEXCOORD_0 when textured, indices, the PNG in its own bufferView."""

from __future__ import annotations

import numpy as np

from app.engines.local.glb import ARRAY_BUFFER, FLOAT, TRILINEAR_CLAMPED, BufferBuilder, one_mesh_document


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
    attributes = buffer.surface(positions, normals)
    material: dict = {"name": name, "pbrMetallicRoughness": {"metallicFactor": 0.0, "roughnessFactor": 0.8}}
    texture: dict = {}
    if uvs is not None and texture_png is not None:
        uv = np.ascontiguousarray(uvs, dtype=np.float32)
        attributes["TEXCOORD_0"] = buffer.accessor(uv, FLOAT, "VEC2", ARRAY_BUFFER)
        texture["images"] = [{"bufferView": buffer.view(texture_png, None), "mimeType": "image/png"}]
        texture["samplers"] = [TRILINEAR_CLAMPED]
        texture["textures"] = [{"sampler": 0, "source": 0}]
        material["pbrMetallicRoughness"]["baseColorTexture"] = {"index": 0}
    else:
        material["pbrMetallicRoughness"]["baseColorFactor"] = [round(float(c), 6) for c in base_color]
    primitive = {"attributes": attributes, "indices": buffer.indices(faces, len(positions)), "material": 0, "mode": 4}
    return buffer.pack(one_mesh_document(name, [primitive], generator, materials=[material], **texture))
