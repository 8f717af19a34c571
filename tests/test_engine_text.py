"""The embedded text→3D engine: every recipe at every tier is valid glTF within budget, deterministic, and reads
the prompt sensibly (category, synonyms, adjectives bound to the right parts)."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.engines.local import geometry as g
from app.engines.local.finish import enforce_budget, face_count
from app.engines.local.recipes import RECIPES
from app.engines.local.text import build, generate_from_text, plan, to_glb
from app.engines.local.thumbnail import render_view
from app.engines.output import EngineOutput
from app.tiers import TIERS
from tests.gltf_validator import REPO, validate_glbs, validator_available

REQUIRED = {
    "chest",
    "crate",
    "barrel",
    "teapot",
    "mug",
    "vase",
    "bottle",
    "lamp",
    "chair",
    "table",
    "bed",
    "bookshelf",
    "sword",
    "shield",
    "axe",
    "potion",
    "tree",
    "rock",
    "mushroom",
    "house",
    "tower",
    "fence",
    "car",
    "boat",
    "rocket",
    "robot",
}


def quiet(step: str, percent: int) -> None:
    pass


def gltf_json(glb: bytes) -> dict:
    magic, version, length = struct.unpack_from("<4sII", glb)
    assert (magic, version, length) == (b"glTF", 2, len(glb))
    chunk_len, chunk_type = struct.unpack_from("<I4s", glb, 12)
    assert chunk_type == b"JSON"
    return json.loads(glb[20 : 20 + chunk_len])


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[EngineOutput, Path]]:
    """Every recipe at every tier (its own name as the prompt), written to disk for one validator run."""
    out_dir = tmp_path_factory.mktemp("glb")
    results = {}
    for name in sorted(RECIPES):
        for tier_id, tier in TIERS.items():
            out = generate_from_text(name, tier, 7, quiet)
            path = out_dir / f"{name.replace(' ', '_')}-{tier_id}.glb"
            path.write_bytes(out.glb)
            results[(name, tier_id)] = (out, path)
    return results


@pytest.fixture(scope="module")
def decimated(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """A dense high-tier model squeezed to a small budget through the decimation path."""
    p = plan("robot", TIERS["high"], 1)
    groups, notes = enforce_budget(build(p, p.detail), 4000)
    assert notes and "decimated" in notes[0]
    path = tmp_path_factory.mktemp("dec") / "robot-decimated.glb"
    path.write_bytes(to_glb(groups, True, "robot"))
    return face_count(groups), path


@pytest.fixture(scope="module")
def reports(sweep: dict, decimated: tuple[int, Path]) -> dict[Path, dict]:
    if not validator_available():
        pytest.skip("node/gltf-validator not installed")
    return validate_glbs([path for _, path in sweep.values()] + [decimated[1]])


def test_catalogue_has_required_and_enough_categories() -> None:
    assert set(RECIPES) >= REQUIRED
    assert len(RECIPES) >= 40


def test_every_recipe_every_tier_is_valid_and_within_budget(sweep: dict, reports: dict[Path, dict]) -> None:
    problems = []
    for (name, tier_id), (out, path) in sweep.items():
        report = reports[path]
        if out.recipe != name:
            problems.append(f"{name}/{tier_id}: ran recipe {out.recipe}")
        if out.faces > TIERS[tier_id].face_budget:
            problems.append(f"{name}/{tier_id}: {out.faces} faces > {TIERS[tier_id].face_budget}")
        if report["errors"] or report["warnings"]:
            problems.append(f"{name}/{tier_id}: {report['messages'][:3]}")
        if report["triangles"] != out.faces:
            problems.append(
                f"{name}/{tier_id}: validator counts {report['triangles']} triangles, engine says {out.faces}"
            )
    assert not problems, "\n".join(problems)


def test_decimation_fits_budget_and_stays_valid(decimated: tuple[int, Path], reports: dict[Path, dict]) -> None:
    faces, path = decimated
    assert 0 < faces <= 4000
    assert reports[path]["errors"] == 0


def test_higher_tiers_are_finer(sweep: dict) -> None:
    for name in ("teapot", "barrel", "vase", "tree", "mushroom"):
        draft, standard, high = (sweep[(name, t)][0].faces for t in ("draft", "standard", "high"))
        assert draft < standard < high, name


def test_materials_follow_the_tier(sweep: dict) -> None:
    high = gltf_json(sweep[("sword", "high")][0].glb)["materials"]
    assert any(m["pbrMetallicRoughness"]["metallicFactor"] == 1.0 for m in high)
    for tier_id in ("draft", "standard"):
        for m in gltf_json(sweep[("sword", tier_id)][0].glb)["materials"]:
            assert m["pbrMetallicRoughness"]["metallicFactor"] == 0.0
            assert m["pbrMetallicRoughness"]["roughnessFactor"] == 1.0
    glass = [m for m in gltf_json(sweep[("potion", "high")][0].glb)["materials"] if m["name"] == "glass"]
    assert glass and glass[0]["alphaMode"] == "BLEND"


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
        ("a kettle", "teapot"),
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
    assert plan(prompt, TIERS["draft"], 0).recipe.name == recipe


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
