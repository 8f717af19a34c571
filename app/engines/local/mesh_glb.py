"""A GLB for one triangle mesh with an optional base-colour texture (retopology output). Deterministic, validator
clean: POSITION with min/max, unit NORMALs, TEXCOORD_0 when textured, indices, the PNG in its own bufferView."""

from __future__ import annotations

import json
import struct

import numpy as np

ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
FLOAT, UNSIGNED_SHORT, UNSIGNED_INT = 5126, 5123, 5125
LINEAR, LINEAR_MIPMAP_LINEAR, CLAMP = 9729, 9987, 33071


def _pad(data: bytes, fill: bytes) -> bytes:
    return data + fill * (-len(data) % 4)


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
    blob = bytearray()
    views: list[dict] = []
    accessors: list[dict] = []

    def view(data: bytes, target: int | None) -> int:
        entry: dict = {"buffer": 0, "byteOffset": len(blob), "byteLength": len(data)}
        if target is not None:
            entry["target"] = target
        views.append(entry)
        blob.extend(_pad(data, b"\0"))
        return len(views) - 1

    def accessor(array: np.ndarray, component: int, kind: str, target: int, bounds: bool = False) -> int:
        acc: dict = {"bufferView": view(array.tobytes(), target), "componentType": component, "count": len(array),
                     "type": kind}  # fmt: skip
        if bounds:
            acc["min"] = [float(v) for v in array.min(axis=0)]
            acc["max"] = [float(v) for v in array.max(axis=0)]
        accessors.append(acc)
        return len(accessors) - 1

    pos = np.ascontiguousarray(positions, dtype=np.float32)
    small = len(pos) < 65535
    attributes = {
        "POSITION": accessor(pos, FLOAT, "VEC3", ARRAY_BUFFER, bounds=True),
        "NORMAL": accessor(np.ascontiguousarray(unit_normals(normals)), FLOAT, "VEC3", ARRAY_BUFFER),
    }
    material: dict = {"name": name, "pbrMetallicRoughness": {"metallicFactor": 0.0, "roughnessFactor": 0.8}}
    doc: dict = {}
    if uvs is not None and texture_png is not None:
        attributes["TEXCOORD_0"] = accessor(np.ascontiguousarray(uvs, dtype=np.float32), FLOAT, "VEC2", ARRAY_BUFFER)
        doc["images"] = [{"bufferView": view(texture_png, None), "mimeType": "image/png"}]
        doc["samplers"] = [{"magFilter": LINEAR, "minFilter": LINEAR_MIPMAP_LINEAR, "wrapS": CLAMP, "wrapT": CLAMP}]
        doc["textures"] = [{"sampler": 0, "source": 0}]
        material["pbrMetallicRoughness"]["baseColorTexture"] = {"index": 0}
    else:
        material["pbrMetallicRoughness"]["baseColorFactor"] = [round(float(c), 6) for c in base_color]
    indices = np.ascontiguousarray(faces.ravel(), dtype=np.uint16 if small else np.uint32)
    primitive = {
        "attributes": attributes,
        "indices": accessor(indices, UNSIGNED_SHORT if small else UNSIGNED_INT, "SCALAR", ELEMENT_ARRAY_BUFFER),
        "material": 0,
        "mode": 4,
    }
    doc = {
        "asset": {"version": "2.0", "generator": generator},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": name}],
        "meshes": [{"name": name, "primitives": [primitive]}],
        "materials": [material],
        **doc,
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob)}],
    }
    js = _pad(json.dumps(doc, separators=(",", ":")).encode(), b" ")
    bin_chunk = bytes(blob)
    total = 12 + 8 + len(js) + 8 + len(bin_chunk)
    return b"".join([
        struct.pack("<4sII", b"glTF", 2, total),
        struct.pack("<I4s", len(js), b"JSON"),
        js,
        struct.pack("<I4s", len(bin_chunk), b"BIN\0"),
        bin_chunk,
    ])  # fmt: skip
