"""GLB for one textured mesh: POSITION, NORMAL, TEXCOORD_0 and indices, one baseColor texture embedded as JPEG.

Same principles as `gltf.py` (deterministic bytes, every vertex bufferView has its target); the image lives in its
own bufferView (no target, as the spec requires for images). Power-of-two texture, mip-mapped trilinear sampler,
clamped edges. Non-PBR tiers get metallic 0 / roughness 1 (flat colour), the high tier a satin roughness.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from app.engines.local.glb import ARRAY_BUFFER, CLAMP_TO_EDGE, FLOAT, LINEAR, LINEAR_MIPMAP_LINEAR, BufferBuilder
from app.engines.local.gltf import GENERATOR
from app.engines.local.texture import TexturedMesh

JPEG_QUALITY = 90


def encode_jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=0)
    return buf.getvalue()


def export_textured_glb(mesh: TexturedMesh, pbr: bool, name: str = "model") -> bytes:
    buffer = BufferBuilder()
    pos = np.ascontiguousarray(mesh.positions, np.float32)
    nrm = mesh.normals / np.maximum(np.linalg.norm(mesh.normals, axis=1, keepdims=True), 1e-12)
    nrm = np.ascontiguousarray(nrm, np.float32)
    uv = np.ascontiguousarray(np.clip(mesh.uvs, 0.0, 1.0), np.float32)
    attributes = {
        "POSITION": buffer.accessor(pos, FLOAT, "VEC3", ARRAY_BUFFER, bounds=True),
        "NORMAL": buffer.accessor(nrm, FLOAT, "VEC3", ARRAY_BUFFER),
        "TEXCOORD_0": buffer.accessor(uv, FLOAT, "VEC2", ARRAY_BUFFER),
    }
    indices = buffer.indices(mesh.faces, len(pos))
    image_view = buffer.view(encode_jpeg(mesh.texture), None)
    return buffer.pack(
        {
            "asset": {"version": "2.0", "generator": GENERATOR},
            "scene": 0,
            "scenes": [{"nodes": [0]}],
            "nodes": [{"mesh": 0, "name": name}],
            "meshes": [{"name": name, "primitives": [{"attributes": attributes, "indices": indices, "material": 0}]}],
            "materials": [
                {
                    "name": "photo",
                    "pbrMetallicRoughness": {
                        "baseColorTexture": {"index": 0},
                        "metallicFactor": 0.0,
                        "roughnessFactor": 0.8 if pbr else 1.0,
                    },
                }
            ],
            "textures": [{"sampler": 0, "source": 0}],
            "samplers": [
                {"magFilter": LINEAR, "minFilter": LINEAR_MIPMAP_LINEAR, "wrapS": CLAMP_TO_EDGE, "wrapT": CLAMP_TO_EDGE}
            ],
            "images": [{"bufferView": image_view, "mimeType": "image/jpeg"}],
        }
    )
