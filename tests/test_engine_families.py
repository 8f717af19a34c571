"""Every family of the built-in engine, and every kind of it, at the draft tier: the right family and kind are
built, the GLB is validator-clean and within the budget, and the seed varies the geometry itself (proportions,
counts, details), not only a global scale. A sample of families is built at the standard and high tiers, with
textures and normal maps. All GLBs go through the Khronos validator in one run.

At the draft tier the models are built without their thumbnails (the thumbnail is most of a draft build's time and
has its own tests); the sample at the textured tiers runs the whole job path."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engines.local.finish import enforce_budget, face_count, ground_and_centre
from app.engines.local.recipes import FAMILIES, Family, Kind, Knobs
from app.engines.local.surfacing import dress, to_glb
from app.engines.local.text import build, generate_from_text, make_model, plan
from app.engines.output import EngineOutput
from app.tiers import TIERS
from tests.gltf_validator import validate_glbs, validator_available

MIN_FAMILIES = 150
SEEDS = range(6)
SAMPLE = {  # covering every kind of texture pattern, part-aligned and world-aligned
    "standard": ["a brick house with a slate roof", "a leather armchair", "a teddy bear", "a wicker picnic basket",
                 "a green dragon", "a marble greek temple"],
    "high": ["a wooden chair", "a stone castle", "an oak tree", "a steel sword"],
}  # fmt: skip


def prompt_for(fam: Family, kind: Kind) -> str:
    """What a user would type for this kind: its own noun, or a qualifier and the family's noun."""
    if kind is fam.kinds[0]:
        return fam.name
    return kind.nouns[0] if kind.nouns else f"{kind.words[0]} {fam.name}"


CASES = [(fam.name, kind.name) for fam in FAMILIES.values() for kind in fam.kinds]


def quiet(step: str, percent: int) -> None:
    pass


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[str, str, int, Path]]:
    """(family, kind) -> (family built, kind built, faces, GLB path), every kind at the draft tier."""
    out_dir = tmp_path_factory.mktemp("families")
    results = {}
    for name, kind_name in CASES:
        fam = FAMILIES[name]
        model = make_model(prompt_for(fam, fam.kind(kind_name)), TIERS["draft"], 7)
        path = out_dir / f"{name}-{kind_name}.glb".replace(" ", "_")
        path.write_bytes(model.glb)
        results[(name, kind_name)] = (model.plan.family.name, model.plan.kind.name, model.faces, path)
    return results


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[EngineOutput, Path]]:
    """The textured tiers, the whole job path (thumbnail included)."""
    out_dir = tmp_path_factory.mktemp("samples")
    results = {}
    for tier_id, prompts in SAMPLE.items():
        for prompt in prompts:
            out = generate_from_text(prompt, TIERS[tier_id], 3, quiet)
            path = out_dir / f"{prompt.replace(' ', '_')}-{tier_id}.glb"
            path.write_bytes(out.glb)
            results[(prompt, tier_id)] = (out, path)
    return results


@pytest.fixture(scope="module")
def decimated(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """A dense high-tier model squeezed into a small budget through decimation, then textured: the decimated mesh
    has lost its parts' UVs, so its textures are laid on world-aligned ones."""
    tier = TIERS["high"]
    p = plan("a robot", tier, 1)
    groups, notes = enforce_budget(build(p, p.detail, textured=True), 4000)
    assert notes and "decimated" in notes[0]
    path = tmp_path_factory.mktemp("decimated") / "robot.glb"
    path.write_bytes(to_glb(dress(ground_and_centre(groups), tier, p.shape_seed), "robot"))
    return face_count(groups), path


@pytest.fixture(scope="module")
def reports(drafts: dict, samples: dict, decimated: tuple[int, Path]) -> dict[Path, dict]:
    if not validator_available():
        pytest.skip("node and node_modules/gltf-validator are needed")
    paths = [v[3] for v in drafts.values()] + [path for _, path in samples.values()] + [decimated[1]]
    return validate_glbs(paths)


def test_enough_families_and_every_kind_is_reachable() -> None:
    assert len(FAMILIES) >= MIN_FAMILIES, len(FAMILIES)
    assert len(CASES) > len(FAMILIES)  # many families have kinds


def test_every_family_and_kind_at_draft_is_valid_and_within_budget(drafts: dict, reports: dict[Path, dict]) -> None:
    problems = []
    budget = TIERS["draft"].face_budget
    for (name, kind_name), (built, built_kind, faces, path) in drafts.items():
        report = reports[path]
        if (built, built_kind) != (name, kind_name):
            problems.append(f"{name}/{kind_name}: built {built}/{built_kind}")
        if not 0 < faces <= budget:
            problems.append(f"{name}/{kind_name}: {faces} faces (budget {budget})")
        if report["errors"] or report["warnings"]:
            problems.append(f"{name}/{kind_name}: {report['messages'][:3]}")
        if report["triangles"] != faces:
            problems.append(f"{name}/{kind_name}: the validator counts {report['triangles']} triangles, not {faces}")
    assert not problems, "\n".join(problems)


def test_seeds_vary_the_geometry_of_every_family_and_kind() -> None:
    """Ten seeds, ten variants: the parts themselves differ (sizes, placements, counts), seed by seed."""
    same = []
    for name, kind_name in CASES:
        fam = FAMILIES[name]
        kind = fam.kind(kind_name)
        variants = {tuple(fam.parts(Knobs(seed), kind)) for seed in SEEDS}
        if len(variants) < len(SEEDS):
            same.append(f"{name}/{kind_name}: {len(variants)} variants from {len(SEEDS)} seeds")
    assert not same, "\n".join(same)


def test_textured_sample_is_valid_and_within_budget(samples: dict, reports: dict[Path, dict]) -> None:
    for (prompt, tier_id), (out, path) in samples.items():
        report = reports[path]
        assert report["errors"] == 0 and report["warnings"] == 0, (prompt, tier_id, report["messages"][:3])
        assert 0 < out.faces <= TIERS[tier_id].face_budget
        assert report["triangles"] == out.faces


def test_decimated_textured_model_fits_and_validates(decimated: tuple[int, Path], reports: dict[Path, dict]) -> None:
    faces, path = decimated
    assert 0 < faces <= 4000
    assert reports[path]["errors"] == 0 and reports[path]["warnings"] == 0, reports[path]["messages"][:3]
