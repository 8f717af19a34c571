"""The embedded text→3D engine: deterministic output, tiers that differ the way they should, the prompt read
sensibly (category, synonyms, adjectives bound to the right parts), thumbnails and primitives. Every family at
every tier is checked in `test_engine_families.py`, everyday prompts in `test_engine_prompts.py`."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import struct
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from app.engines.local import geometry as g
from app.engines.local.finish import face_count
from app.engines.local.text import build, generate_from_text, plan
from app.engines.local.thumbnail import render_view
from app.tiers import TIERS
from tests.gltf_validator import REPO


def quiet(step: str, percent: int) -> None:
    pass


def gltf_json(glb: bytes) -> dict:
    magic, version, length = struct.unpack_from("<4sII", glb)
    assert (magic, version, length) == (b"glTF", 2, len(glb))
    chunk_len, chunk_type = struct.unpack_from("<I4s", glb, 12)
    assert chunk_type == b"JSON"
    return json.loads(glb[20 : 20 + chunk_len])


def test_higher_tiers_are_finer() -> None:
    for name in ("teapot", "barrel", "vase", "tree", "mushroom"):
        faces = []
        for tier_id in ("draft", "standard", "high"):
            p = plan(name, TIERS[tier_id], 7)
            faces.append(face_count(build(p, p.detail)))
        assert faces[0] < faces[1] < faces[2], (name, faces)


def materials_of(glb: bytes) -> list[dict]:
    return gltf_json(glb)["materials"]


def test_materials_follow_the_tier() -> None:
    high = materials_of(generate_from_text("sword", TIERS["high"], 7, quiet).glb)
    assert any(m["pbrMetallicRoughness"]["metallicFactor"] == 1.0 for m in high)
    for tier_id in ("draft", "standard"):
        for m in materials_of(generate_from_text("sword", TIERS[tier_id], 7, quiet).glb):
            assert m["pbrMetallicRoughness"]["metallicFactor"] == 0.0
            assert m["pbrMetallicRoughness"]["roughnessFactor"] == 1.0
    glass = [m for m in materials_of(generate_from_text("potion", TIERS["high"], 7, quiet).glb) if m["name"] == "glass"]
    assert glass and glass[0]["alphaMode"] == "BLEND"


def test_textures_at_standard_and_high_only_normal_maps_at_high() -> None:
    """Wood is wood-grained, not flat brown, from the standard tier up; the PBR tier adds normal maps."""
    by_tier = {t: gltf_json(generate_from_text("a wooden chair", TIERS[t], 1, quiet).glb) for t in TIERS}
    assert "textures" not in by_tier["draft"] and "images" not in by_tier["draft"]
    for tier_id in ("standard", "high"):
        doc = by_tier[tier_id]
        wood = next(m for m in doc["materials"] if m["name"] == "wood")
        assert "baseColorTexture" in wood["pbrMetallicRoughness"]
        assert ("normalTexture" in wood) == (tier_id == "high")
        assert doc["samplers"][0]["wrapS"] == 10497  # the pattern tiles
    for tier_id in ("standard", "high"):  # the largest texture is the tier's texture size
        glb = generate_from_text("a brick house", TIERS[tier_id], 1, quiet).glb
        sizes = [Image.open(io.BytesIO(image)).size for image in images_of(glb)]
        assert max(sizes) == (TIERS[tier_id].texture_size,) * 2 and all(w == h and w & (w - 1) == 0 for w, h in sizes)


def images_of(glb: bytes) -> list[bytes]:
    doc = gltf_json(glb)
    (length,) = struct.unpack_from("<I", glb, 12)
    blob = glb[20 + length + 8 :]
    views = doc["bufferViews"]
    return [blob[views[i["bufferView"]]["byteOffset"] :][: views[i["bufferView"]]["byteLength"]] for i in doc["images"]]


def test_same_inputs_same_bytes_even_in_another_process() -> None:
    a = generate_from_text("a red plastic chair", TIERS["standard"], 42, quiet)
    b = generate_from_text("a red plastic chair", TIERS["standard"], 42, quiet)
    assert a == b
    code = (
        "import hashlib, sys; from app.engines.local.text import generate_from_text; from app.tiers import TIERS;"
        "o = generate_from_text('a red plastic chair', TIERS['standard'], 42, lambda s, p: None);"
        "print(hashlib.sha256(o.glb).hexdigest(), hashlib.sha256(o.thumbnail_png).hexdigest())"
    )
    env_out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123"},
    ).stdout.split()
    assert env_out == [hashlib.sha256(a.glb).hexdigest(), hashlib.sha256(a.thumbnail_png).hexdigest()]


def test_other_seed_varies_but_keeps_the_recipe() -> None:
    a = generate_from_text("a wooden barrel", TIERS["draft"], 1, quiet)
    b = generate_from_text("a wooden barrel", TIERS["draft"], 2, quiet)
    assert a.recipe == b.recipe == "barrel"
    assert a.glb != b.glb and a.thumbnail_png != b.thumbnail_png
    assert a.materials == b.materials


def test_output_is_picklable() -> None:
    out = generate_from_text("mug", TIERS["draft"], 0, quiet)
    assert pickle.loads(pickle.dumps(out)) == out


@pytest.mark.parametrize(
    ("prompt", "recipe"),
    [
        ("a kettle", "kettle"),
        ("a teapot", "teapot"),
        ("treasure chest", "chest"),
        ("a cosy cottage", "house"),
        ("a hut in the woods", "house"),
        ("an elixir of life", "potion"),
        ("flasks", "potion"),
        ("a mossy boulder", "rock"),
        ("a red sedan", "car"),
        ("a sailboat", "boat"),
        ("spaceship", "rocket"),
        ("three wooden barrels", "barrel"),
        ("a chest of drawers", "cabinet"),
        ("a lamp on a table", "lamp"),
        ("a stone house", "house"),
        ("an oak tree", "tree"),
        ("a pine table", "table"),
        ("jack-o-lantern", "pumpkin"),
        ("bookcases", "bookshelf"),
    ],
)
def test_category_words(prompt: str, recipe: str) -> None:
    assert plan(prompt, TIERS["draft"], 0).family.name == recipe


def test_unknown_noun_uses_generic_with_a_note() -> None:
    out = generate_from_text("a shiny zorblax", TIERS["draft"], 3, quiet)
    assert out.recipe == "generic"
    assert any("zorblax" in n and "generic" in n for n in out.notes)


def slot_names(prompt: str) -> dict[str, str]:
    return {slot: m.name for slot, m in plan(prompt, TIERS["high"], 0).materials.items()}


def test_adjectives_bind_to_slots() -> None:
    assert slot_names("a glazed ceramic teapot")["primary"] == "glazed ceramic"
    chest = slot_names("a low-poly treasure chest, iron-banded wood")
    assert (chest["primary"], chest["metal"]) == ("wood", "iron")
    assert slot_names("an oak chest with gold bands")["metal"] == "gold"
    assert slot_names("a red plastic chair")["primary"] == "red plastic"
    sword = slot_names("golden sword")
    assert sword["primary"] == "gold" and sword["secondary"] == "leather"
    assert slot_names("a house with a blue roof")["secondary"] == "blue roof tiles"
    assert slot_names("a red potion")["accent"] == "red potion"  # the colour goes to the liquid, not the glass
    assert slot_names("a tree with yellow leaves")["foliage"] == "yellow leaves"
    assert slot_names("a rusty sword")["primary"].startswith("rusty")
    ring = slot_names("a gold and ruby ring")
    assert (ring["primary"], ring["accent"]) == ("gold", "ruby gem")
    assert slot_names("cup of tea")["accent"] == "tea"
    assert slot_names("a chest with gold bands")["primary"] == "wood"
    assert slot_names("a red chair made of plastic")["primary"] == "red plastic"


def test_low_poly_and_size_words() -> None:
    low = plan("a low-poly treasure chest", TIERS["high"], 0)
    assert low.detail.flat and low.detail.segments < plan("a treasure chest", TIERS["high"], 0).detail.segments
    assert plan("a tall vase", TIERS["draft"], 0).scale[1] > plan("a vase", TIERS["draft"], 0).scale[1]
    low_out = generate_from_text("a low-poly treasure chest, iron-banded wood", TIERS["high"], 0, quiet)
    assert any("low-poly" in n for n in low_out.notes)


def test_thumbnail_is_a_centred_png_of_tier_size() -> None:
    for tier_id in ("draft", "high"):
        out = generate_from_text("a teapot", TIERS[tier_id], 0, quiet)
        img = Image.open(io.BytesIO(out.thumbnail_png))
        size = TIERS[tier_id].thumbnail_size
        assert img.format == "PNG" and img.mode == "RGBA" and img.size == (size, size)
        alpha = np.asarray(img)[..., 3]
        c = size // 2
        assert alpha[c - 4 : c + 4, c - 4 : c + 4].min() == 255
        assert alpha[0, 0] == alpha[-1, -1] == 0


def test_render_view_front_silhouette() -> None:
    p = plan("a car", TIERS["draft"], 0)
    groups = build(p, p.detail)
    rgba, mask = render_view(groups, direction=(0, 0, 1), size=64, ssaa=1)
    assert rgba.shape == (64, 64, 4) and mask.shape == (64, 64)
    rows, cols = np.nonzero(mask)
    assert (cols.max() - cols.min()) > 2 * (rows.max() - rows.min())  # a car is long and low from the side


def test_progress_steps_in_order() -> None:
    calls: list[tuple[str, int]] = []
    generate_from_text("a robot", TIERS["standard"], 0, lambda s, p: calls.append((s, p)))
    steps = [s for s, _ in calls]
    order = {"image": 0, "mesh": 1, "finish": 2}
    assert set(steps) == set(order)
    assert [order[s] for s in steps] == sorted(order[s] for s in steps)
    for step in order:
        pct = [p for s, p in calls if s == step]
        assert pct == sorted(pct) and pct[0] == 0 and pct[-1] == 100 and all(0 <= v <= 100 for v in pct)


def test_primitives_are_closed_and_outward() -> None:
    d = g.Detail(16, 2, 1)
    rng = np.random.default_rng(0)
    meshes = [
        g.box((1, 2, 3), d),
        g.rounded_box((1, 1, 1), 0.2, d),
        g.cylinder(0.5, 1, d),
        g.cone(0.5, 1, d),
        g.sphere(1, d),
        g.capsule(0.2, 1, d),
        g.torus(1, 0.2, d),
        g.torus(1, 0.2, d, sweep=180),
        g.tube([(0, 0, 0), (0, 1, 0), (1, 1, 0)], 0.1, d),
        g.extrude([(0, 0), (1, 0), (1, 1), (0.5, 0.3), (0, 1)], 0.2, d),
        g.blob(1, d, rng),
        g.lathe([(0, 0, 1), (0.4, 0, 1), (0.4, 1, 1), (0.35, 1, 1), (0.35, 0.05, 1), (0, 0.05, 1)], d),
    ]
    for m in meshes:
        tri = m.positions[m.faces]
        volume = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6
        assert volume > 0
        assert np.allclose(np.linalg.norm(m.normals, axis=1), 1.0)


def test_a_feature_the_prompt_names_is_always_built() -> None:
    """A cottage's chimney is up to the seed, unless the prompt asks for one."""

    def has_chimney(prompt: str, seed: int) -> bool:
        return any(part.slot == "brick" for part in plan(prompt, TIERS["draft"], seed).parts)

    assert not all(has_chimney("a tiny cottage", seed) for seed in range(20))
    assert all(has_chimney("a tiny cottage with a chimney", seed) for seed in range(20))
