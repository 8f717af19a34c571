"""`write_glb`: primitives in, GLB bytes out. Exactly one node and one mesh; each primitive has POSITION (with
min/max), unit NORMAL, TEXCOORD_0 and TANGENT when its material needs them, and indices, every vertex bufferView
with its target. Images get their own bufferViews (no target, as the spec requires), mip-mapped trilinear
samplers. Materials and textures are written once each however many primitives share them; the same input always
gives the same bytes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.engines.local.gltf.container import BufferBuilder, unit_normals
from app.engines.local.gltf.scene import PbrMaterial, Primitive, Texture
from app.engines.local.gltf.tangents import vertex_tangents

GENERATOR = "forge402 local engine"
LINEAR, LINEAR_MIPMAP_LINEAR = 9729, 9987
CLAMP_TO_EDGE, REPEAT = 33071, 10497


class _Textures:
    """Images, samplers and textures of one file, each distinct one written once, in order of first use."""

    def __init__(self, buffer: BufferBuilder) -> None:
        self.buffer = buffer
        self.images: list[dict] = []
        self.samplers: list[dict] = []
        self.textures: list[dict] = []
        self._image_of: dict[tuple[bytes, str], int] = {}
        self._texture_of: dict[Texture, int] = {}

    def index(self, texture: Texture) -> int:
        if texture in self._texture_of:
            return self._texture_of[texture]
        key = (texture.data, texture.mime_type)
        if key not in self._image_of:
            view = self.buffer.view(texture.data, None)
            self.images.append({"bufferView": view, "mimeType": texture.mime_type})
            self._image_of[key] = len(self.images) - 1
        wrap = REPEAT if texture.repeat else CLAMP_TO_EDGE
        sampler = {"magFilter": LINEAR, "minFilter": LINEAR_MIPMAP_LINEAR, "wrapS": wrap, "wrapT": wrap}
        if sampler not in self.samplers:
            self.samplers.append(sampler)
        entry = {"sampler": self.samplers.index(sampler), "source": self._image_of[key]}
        self.textures.append(entry)
        self._texture_of[texture] = len(self.textures) - 1
        return len(self.textures) - 1

    def document(self) -> dict:
        if not self.textures:
            return {}
        return {"textures": self.textures, "samplers": self.samplers, "images": self.images}


def _material_json(material: PbrMaterial, textures: _Textures) -> dict:
    r, g, b, a = (round(float(c), 6) for c in material.base_color)
    pbr: dict = {
        "baseColorFactor": [r, g, b, a],
        "metallicFactor": round(float(material.metallic), 4),
        "roughnessFactor": round(float(material.roughness), 4),
    }
    if material.base_color_texture is not None:
        pbr["baseColorTexture"] = {"index": textures.index(material.base_color_texture)}
    out: dict = {"name": material.name, "pbrMetallicRoughness": pbr}
    if material.normal_texture is not None:
        out["normalTexture"] = {"index": textures.index(material.normal_texture)}
        if material.normal_scale != 1.0:
            out["normalTexture"]["scale"] = round(float(material.normal_scale), 4)
    if a < 1.0:
        out["alphaMode"] = "BLEND"
    return out


def _attributes(buffer: BufferBuilder, prim: Primitive) -> dict[str, int]:
    textured = prim.material.base_color_texture is not None or prim.material.normal_texture is not None
    if textured and prim.uvs is None:
        raise ValueError(f"material {prim.material.name!r} has a texture but its primitive has no UVs")
    normals = unit_normals(prim.normals)
    attributes = {
        "POSITION": buffer.floats(prim.positions, "VEC3", bounds=True),
        "NORMAL": buffer.floats(normals, "VEC3"),
    }
    if textured:
        attributes["TEXCOORD_0"] = buffer.floats(prim.uvs, "VEC2")  # type: ignore[arg-type]
    if prim.material.normal_texture is not None:
        tangents = prim.tangents
        if tangents is None:
            tangents = vertex_tangents(prim.positions, normals, prim.uvs, prim.faces)  # type: ignore[arg-type]
        attributes["TANGENT"] = buffer.floats(tangents, "VEC4")
    return attributes


def write_glb(primitives: Sequence[Primitive], name: str = "model", generator: str = GENERATOR) -> bytes:
    """Serialise the primitives (empty ones are skipped) into one GLB."""
    buffer = BufferBuilder()
    textures = _Textures(buffer)
    materials: list[dict] = []
    material_of: dict[PbrMaterial, int] = {}
    out: list[dict] = []
    for prim in primitives:
        if not len(prim.faces):
            continue
        attributes = _attributes(buffer, prim)
        indices = buffer.indices(np.asarray(prim.faces), len(prim.positions))
        if prim.material not in material_of:
            materials.append(_material_json(prim.material, textures))
            material_of[prim.material] = len(materials) - 1
        out.append({"attributes": attributes, "indices": indices, "material": material_of[prim.material]})
    doc = {
        "asset": {"version": "2.0", "generator": generator},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": name}],
        "meshes": [{"name": name, "primitives": out}],
        "materials": materials,
        **textures.document(),
    }
    return buffer.pack(doc)
