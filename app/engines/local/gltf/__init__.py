"""GLB (glTF 2.0 binary) output for every engine: a small typed description in, deterministic bytes out.

    write_glb([Primitive(positions, normals, faces, PbrMaterial(...), uvs=...)], name="model") -> bytes

One node, one mesh, one primitive per `Primitive`; equal materials and equal textures are written once. Textures
(base colour, normal map) are embedded as JPEG or PNG; a normal-mapped primitive gets tangents computed from its
UVs when it brings none. Every output passes the Khronos glTF validator without errors or warnings.
"""

from app.engines.local.gltf.scene import PbrMaterial, Primitive, Texture
from app.engines.local.gltf.writer import GENERATOR, write_glb

__all__ = ["GENERATOR", "PbrMaterial", "Primitive", "Texture", "write_glb"]
