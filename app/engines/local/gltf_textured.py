"""GLB for one textured mesh: POSITION, NORMAL, TEXCOORD_0 and indices, one baseColor texture embedded as JPEG.

Same principles as `gltf.py` (deterministic bytes, every vertex bufferView has its target); the image lives in its
own bufferView (no target, as the spec requires for images). Power-of-two texture, mip-mapped trilinear sampler,
clamped edges. Non-PBR tiers get metallic 0 / roughness 1 (flat colour), the high tier a satin roughness.
"""

from __future__ import annotations

import io
import json
import struct

import numpy as np
from PIL import Image

from app.engines.local.gltf import ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER, FLOAT, GENERATOR, UNSIGNED_INT, UNSIGNED_SHORT
from app.engines.local.gltf import _pad as pad
from app.engines.local.texture import TexturedMesh

LINEAR, LINEAR_MIPMAP_LINEAR, CLAMP_TO_EDGE = 9729, 9987, 33071
JPEG_QUALITY = 90


def encode_jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=0)
    return buf.getvalue()


def export_textured_glb(mesh: TexturedMesh, pbr: bool, name: str = "model") -> bytes:
    blob = bytearray()
    views: list[dict] = []
    accessors: list[dict] = []

    def view_of(data: bytes, target: int | None) -> int:
        entry: dict = {"buffer": 0, "byteOffset": len(blob), "byteLength": len(data)}
        if target is not None:
            entry["target"] = target
        views.append(entry)
        blob.extend(pad(data, b"\0"))
        return len(views) - 1

    def accessor(array: np.ndarray, component: int, kind: str, target: int, bounds: bool = False) -> int:
        acc: dict = {
            "bufferView": view_of(array.tobytes(), target),
            "componentType": component,
            "count": len(array),
            "type": kind,
        }
        if bounds:
            acc["min"] = [float(v) for v in array.min(axis=0)]
            acc["max"] = [float(v) for v in array.max(axis=0)]
        accessors.append(acc)
        return len(accessors) - 1

    pos = np.ascontiguousarray(mesh.positions, np.float32)
    nrm = mesh.normals / np.maximum(np.linalg.norm(mesh.normals, axis=1, keepdims=True), 1e-12)
    nrm = np.ascontiguousarray(nrm, np.float32)
    uv = np.ascontiguousarray(np.clip(mesh.uvs, 0.0, 1.0), np.float32)
    small = len(pos) < 65535
    idx = np.ascontiguousarray(mesh.faces.ravel(), np.uint16 if small else np.uint32)
    attributes = {
        "POSITION": accessor(pos, FLOAT, "VEC3", ARRAY_BUFFER, bounds=True),
        "NORMAL": accessor(nrm, FLOAT, "VEC3", ARRAY_BUFFER),
        "TEXCOORD_0": accessor(uv, FLOAT, "VEC2", ARRAY_BUFFER),
    }
    indices = accessor(idx, UNSIGNED_SHORT if small else UNSIGNED_INT, "SCALAR", ELEMENT_ARRAY_BUFFER)
    image_view = view_of(encode_jpeg(mesh.texture), None)
    doc = {
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
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob)}],
    }
    js = pad(json.dumps(doc, separators=(",", ":")).encode(), b" ")
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
