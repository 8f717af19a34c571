"""Structural check of a GLB we did not write (provider results, retopology sources): the binary container, the
JSON, every buffer view and accessor inside its buffer, triangle counts within limits. Pure Python on the parsed
header, so it is cheap; geometry is loaded (trimesh) only after this passes."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass

GLB_MAGIC = b"glTF"
JSON_CHUNK, BIN_CHUNK = 0x4E4F534A, 0x004E4942
COMPONENT_BYTES = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
TYPE_COUNT = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}


class InvalidModel(ValueError):
    """The file is not a usable model; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class GlbSummary:
    triangles: int
    primitives: int
    has_texture: bool


def _chunks(data: bytes) -> tuple[dict, bytes]:
    if len(data) < 20 or data[:4] != GLB_MAGIC:
        raise InvalidModel("it is not a GLB file (no glTF binary header)")
    version, length = struct.unpack_from("<II", data, 4)
    if version != 2:
        raise InvalidModel(f"it is glTF binary version {version}; only 2.0 is supported")
    if length != len(data):
        raise InvalidModel("the GLB's declared length does not match the file (truncated?)")
    offset, doc, blob = 12, None, b""
    while offset + 8 <= length:
        size, kind = struct.unpack_from("<II", data, offset)
        body = data[offset + 8 : offset + 8 + size]
        if len(body) != size:
            raise InvalidModel("a GLB chunk runs past the end of the file")
        if kind == JSON_CHUNK and doc is None:
            try:
                doc = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                raise InvalidModel("the GLB's JSON chunk is not valid JSON") from None
        elif kind == BIN_CHUNK and not blob:
            blob = body
        offset += 8 + size + (-size % 4 if offset + 8 + size < length else 0)
    if not isinstance(doc, dict):
        raise InvalidModel("the GLB has no JSON chunk")
    return doc, blob


def _check_views(doc: dict, blob: bytes) -> None:
    buffers = doc.get("buffers") or []
    for i, view in enumerate(doc.get("bufferViews") or []):
        buffer = view.get("buffer", -1)
        if not 0 <= buffer < len(buffers):
            raise InvalidModel(f"bufferView {i} names a missing buffer")
        if buffer == 0 and "uri" not in buffers[0]:
            end = view.get("byteOffset", 0) + view.get("byteLength", 0)
            if end > len(blob):
                raise InvalidModel(f"bufferView {i} reaches past the binary chunk")
        elif "uri" in buffers[buffer] and not str(buffers[buffer]["uri"]).startswith("data:"):
            raise InvalidModel("the GLB refers to external files; send a self-contained GLB")
    views = doc.get("bufferViews") or []
    for i, acc in enumerate(doc.get("accessors") or []):
        if "bufferView" not in acc:
            continue
        if not 0 <= acc["bufferView"] < len(views):
            raise InvalidModel(f"accessor {i} names a missing bufferView")
        width = COMPONENT_BYTES.get(acc.get("componentType"), 0) * TYPE_COUNT.get(acc.get("type"), 0)
        if not width:
            raise InvalidModel(f"accessor {i} has an unknown type")
        view = views[acc["bufferView"]]
        stride = view.get("byteStride") or width
        need = acc.get("byteOffset", 0) + stride * max(acc.get("count", 0) - 1, 0) + width
        if need > view.get("byteLength", 0):
            raise InvalidModel(f"accessor {i} reaches past its bufferView")


def inspect_glb(data: bytes, max_triangles: int) -> GlbSummary:
    doc, blob = _chunks(data)
    if str((doc.get("asset") or {}).get("version", "")) != "2.0":
        raise InvalidModel("the GLB does not declare glTF asset version 2.0")
    _check_views(doc, blob)
    accessors = doc.get("accessors") or []
    triangles = primitives = 0
    for mesh in doc.get("meshes") or []:
        for prim in mesh.get("primitives") or []:
            if prim.get("mode", 4) != 4:
                continue
            primitives += 1
            source = prim.get("indices", (prim.get("attributes") or {}).get("POSITION"))
            if not isinstance(source, int) or not 0 <= source < len(accessors):
                raise InvalidModel("a mesh primitive has no readable indices or positions")
            triangles += int(accessors[source].get("count", 0)) // 3
    if triangles == 0:
        raise InvalidModel("the model has no triangles")
    if triangles > max_triangles:
        raise InvalidModel(f"the model has {triangles:,} triangles; the limit is {max_triangles:,}")
    return GlbSummary(triangles, primitives, bool(doc.get("textures")))
