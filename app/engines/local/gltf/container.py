"""The GLB container: one binary buffer of padded bufferViews, accessors with bounds where the spec wants them,
and the 12-byte header + JSON chunk + BIN chunk packing. Deterministic bytes."""

from __future__ import annotations

import json
import struct

import numpy as np

ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
FLOAT, UNSIGNED_SHORT, UNSIGNED_INT = 5126, 5123, 5125


def unit_normals(normals: np.ndarray) -> np.ndarray:
    """float32 unit normals; a zero-length one becomes +Y (glTF wants every NORMAL of unit length)."""
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    out = np.where(length > 1e-12, normals / np.maximum(length, 1e-12), np.array([0.0, 1.0, 0.0]))
    return out.astype(np.float32)


def pad(data: bytes, fill: bytes) -> bytes:
    """Chunks and bufferViews start on 4-byte boundaries."""
    return data + fill * (-len(data) % 4)


class BufferBuilder:
    """Collects bufferViews and accessors into one binary buffer."""

    def __init__(self) -> None:
        self.blob = bytearray()
        self.views: list[dict] = []
        self.accessors: list[dict] = []

    def view(self, data: bytes, target: int | None) -> int:
        """A bufferView; `target` None for images, which the spec forbids to carry one."""
        entry: dict = {"buffer": 0, "byteOffset": len(self.blob), "byteLength": len(data)}
        if target is not None:
            entry["target"] = target
        self.views.append(entry)
        self.blob.extend(pad(data, b"\0"))
        return len(self.views) - 1

    def accessor(self, array: np.ndarray, component: int, kind: str, target: int, bounds: bool = False) -> int:
        acc: dict = {
            "bufferView": self.view(np.ascontiguousarray(array).tobytes(), target),
            "componentType": component,
            "count": len(array),
            "type": kind,
        }
        if bounds:  # required on POSITION
            acc["min"] = [float(v) for v in array.min(axis=0)]
            acc["max"] = [float(v) for v in array.max(axis=0)]
        self.accessors.append(acc)
        return len(self.accessors) - 1

    def floats(self, array: np.ndarray, kind: str, bounds: bool = False) -> int:
        """A float32 vertex attribute."""
        return self.accessor(np.asarray(array, np.float32), FLOAT, kind, ARRAY_BUFFER, bounds)

    def indices(self, faces: np.ndarray, vertex_count: int) -> int:
        """Triangle indices, 16-bit when every vertex fits."""
        small = vertex_count < 65535
        flat = np.ascontiguousarray(faces.ravel(), dtype=np.uint16 if small else np.uint32)
        return self.accessor(flat, UNSIGNED_SHORT if small else UNSIGNED_INT, "SCALAR", ELEMENT_ARRAY_BUFFER)

    def pack(self, doc: dict) -> bytes:
        """`doc` with this builder's accessors, bufferViews and buffer, as GLB bytes."""
        full = {**doc, "accessors": self.accessors, "bufferViews": self.views}
        full["buffers"] = [{"byteLength": len(self.blob)}]
        return pack_glb(full, bytes(self.blob))


def pack_glb(doc: dict, bin_chunk: bytes) -> bytes:
    js = pad(json.dumps(doc, separators=(",", ":")).encode(), b" ")
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
