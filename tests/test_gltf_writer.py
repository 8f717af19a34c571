"""The one GLB writer: factors, textures, normal maps (with tangents derived from UVs) come out validator-clean,
shared materials and textures are written once, and the same input gives the same bytes."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from app.engines.local import geometry as g
from app.engines.local.gltf import PbrMaterial, Primitive, Texture, write_glb
from app.engines.local.gltf.tangents import vertex_tangents
from tests.gltf_validator import validate_glbs, validator_available


def document(glb: bytes) -> dict:
    (length,) = struct.unpack_from("<I", glb, 12)
    return json.loads(glb[20 : 20 + length])


def sphere_with_uvs() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    mesh = g.sphere(0.5, g.Detail(24, 1, 1))
    x, y, z = mesh.positions.T
    uvs = np.stack([np.arctan2(x, z) / (2 * np.pi) + 0.5, 0.5 - y], axis=1)  # V grows downwards, as in glTF
    return mesh.positions, mesh.normals, mesh.faces, uvs


def pattern(size: int = 64) -> np.ndarray:
    yy, xx = np.mgrid[:size, :size]
    return np.dstack([(xx * 4) % 256, (yy * 4) % 256, np.full((size, size), 128)]).astype(np.uint8)


def textured_primitives() -> list[Primitive]:
    pos, nrm, faces, uvs = sphere_with_uvs()
    wood = Texture.jpeg(pattern(), repeat=True)
    bumps = Texture.jpeg(np.full((64, 64, 3), (128, 128, 255), np.uint8), repeat=True)
    a = PbrMaterial("a", (0.8, 0.5, 0.3, 1.0), 0.0, 0.7, base_color_texture=wood, normal_texture=bumps)
    b = PbrMaterial("b", (0.2, 0.5, 0.3, 1.0), 0.0, 0.7, base_color_texture=wood)
    glass = PbrMaterial("glass", (0.8, 0.9, 1.0, 0.4), 0.0, 0.05)
    return [
        Primitive(pos, nrm, faces, a, uvs),
        Primitive(pos + 1.0, nrm, faces, a, uvs),
        Primitive(pos - 1.0, nrm, faces, b, uvs),
        Primitive(pos * 0.5, nrm, faces, glass),
    ]


def test_shared_materials_and_textures_are_written_once() -> None:
    doc = document(write_glb(textured_primitives()))
    assert [m["name"] for m in doc["materials"]] == ["a", "b", "glass"]
    assert len(doc["images"]) == 2 and len(doc["textures"]) == 2 and len(doc["samplers"]) == 1
    assert doc["samplers"][0]["wrapS"] == 10497  # procedural patterns tile
    first, second, third, glass = doc["meshes"][0]["primitives"]
    assert first["material"] == second["material"] == 0 and third["material"] == 1
    assert "TANGENT" in first["attributes"] and "TANGENT" not in third["attributes"]
    assert "TEXCOORD_0" not in glass["attributes"] and doc["materials"][2]["alphaMode"] == "BLEND"


def test_same_input_same_bytes() -> None:
    assert write_glb(textured_primitives()) == write_glb(textured_primitives())


def test_a_texture_without_uvs_is_refused() -> None:
    pos, nrm, faces, _ = sphere_with_uvs()
    material = PbrMaterial("m", base_color_texture=Texture.jpeg(pattern()))
    with pytest.raises(ValueError, match="no UVs"):
        write_glb([Primitive(pos, nrm, faces, material)])


def test_tangents_follow_u_and_are_unit() -> None:
    pos, nrm, faces, uvs = sphere_with_uvs()
    tangents = vertex_tangents(pos, nrm, uvs, faces)
    assert np.allclose(np.linalg.norm(tangents[:, :3], axis=1), 1.0, atol=1e-5)
    assert set(np.unique(tangents[:, 3])) <= {-1.0, 1.0}
    assert np.abs(np.einsum("ij,ij->i", tangents[:, :3], nrm)).max() < 1e-4
    equator = np.abs(pos[:, 1]) < 0.05
    along_u = np.cross([0.0, 1.0, 0.0], nrm[equator])  # around the sphere, the way U grows
    assert np.einsum("ij,ij->i", tangents[equator, :3], along_u).min() > 0.9
    # U grows around the sphere, V downwards: the bitangent (normal × tangent · w) points up
    bitangent = np.cross(nrm, tangents[:, :3]) * tangents[:, 3:4]
    assert bitangent[equator, 1].min() > 0.9


@pytest.mark.skipif(not validator_available(), reason="node and node_modules/gltf-validator are needed")
def test_textured_normal_mapped_file_is_validator_clean(tmp_path: Path) -> None:
    path = tmp_path / "textured.glb"
    path.write_bytes(write_glb(textured_primitives()))
    report = validate_glbs([path])[path]
    assert report["errors"] == 0 and report["warnings"] == 0, report["messages"][:5]
