"""GLB for one textured mesh: POSITION, NORMAL, TEXCOORD_0 and indices, one baseColor texture embedded as JPEG.

Same principles as `gltf.py` (deterministic bytes, every vertex bufferView has its target); the image lives in its
own bufferView (no target, as the spec requires for images). Power-of-two texture, mip-mapped trilinear sampler,
clamped edges. Non-PBR tiers get metallic 0 / roughness 1 (flat colour), the high tier a satin roughness.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from app.engines.local.glb import ARRAY_BUFFER, FLOAT, TRILINEAR_CLAMPED, BufferBuilder, one_mesh_document
from app.engines.local.gltf import GENERATOR
from app.engines.local.texture import TexturedMesh

JPEG_QUALITY = 90


def encode_jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=0)
    return buf.getvalue()


def export_textured_glb(mesh: TexturedMesh, pbr: bool, name: str = "model") -> bytes:
    buffer = BufferBuilder()
    attributes = buffer.surface(mesh.positions, mesh.normals)
    uv = np.ascontiguousarray(np.clip(mesh.uvs, 0.0, 1.0), np.float32)
    attributes["TEXCOORD_0"] = buffer.accessor(uv, FLOAT, "VEC2", ARRAY_BUFFER)
    indices = buffer.indices(mesh.faces, len(mesh.positions))
    image_view = buffer.view(encode_jpeg(mesh.texture), None)
    return buffer.pack(
        one_mesh_document(
            name,
            [{"attributes": attributes, "indices": indices, "material": 0}],
            GENERATOR,
            materials=[
                {
                    "name": "photo",
                    "pbrMetallicRoughness": {
                        "baseColorTexture": {"index": 0},
                        "metallicFactor": 0.0,
                        "roughnessFactor": 0.8 if pbr else 1.0,
                    },
                }
            ],
            textures=[{"sampler": 0, "source": 0}],
            samplers=[TRILINEAR_CLAMPED],
            images=[{"bufferView": image_view, "mimeType": "image/jpeg"}],
        )
    )
