"""Text -> 3D: the embedded procedural engine the job runner calls.

    generate_from_text(prompt, tier, seed, progress) -> EngineOutput

Steps reported through `progress(step, percent)`: "image" (interpret the prompt, plan materials and parts), "mesh"
(tessellate the parts), "finish" (budget, textures, GLB, thumbnail). Output is a pure function of (prompt, tier.id,
seed): the only randomness is numpy Generators seeded from a SHA-256 of the normalised prompt and the seed (not the
tier, so a higher tier of the same seed has the same proportions, parts and colours).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.engines.local import geometry as g
from app.engines.local.finish import enforce_budget, face_count, ground_and_centre
from app.engines.local.materials import COLOURS, MATERIAL_WORDS, MATERIALS, Material, apply_modifier, jittered
from app.engines.local.parts import Part, build_part
from app.engines.local.prompt import Interpretation, SlotChoice, interpret, normalise
from app.engines.local.recipes import Family, Kind, Knobs
from app.engines.local.surfacing import WORLD_ALIGNED, Dressed, dress, textured_tier, to_glb, to_thumbnail
from app.engines.output import EngineOutput
from app.tiers import Tier

Progress = Callable[[str, int], None]

# Tessellation per tier: segments around a circle, spline steps per profile segment, icosphere level.
DETAIL: dict[str, g.Detail] = {
    "draft": g.Detail(14, 2, 2),
    "standard": g.Detail(28, 3, 3),
    "high": g.Detail(64, 6, 4),
}
LOW_POLY = g.Detail(8, 1, 1, flat=True)
SCALE_JITTER = 0.07  # +-7 % per axis group between seeds
HUE_JITTER, VALUE_JITTER = 0.012, 0.06
Group = tuple[Material, g.Mesh]


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything decided before any geometry is built."""

    family: Family
    kind: Kind
    parts: tuple[Part, ...]
    materials: dict[str, Material]  # slot -> final material
    detail: g.Detail
    scale: tuple[float, float, float]
    shape_seed: int
    notes: tuple[str, ...]


def seed_material(prompt: str, seed: int) -> bytes:
    return hashlib.sha256(f"{' '.join(normalise(prompt))}\x00{int(seed)}".encode()).digest()


def material_named(name: str, built: bool) -> Material:
    """Architecture is built of dressed stone: "stone" there means masonry, elsewhere a rock's surface."""
    if built and name == "stone":
        name = "masonry"
    return MATERIALS[name]


def resolve_slot(spec: str, choice: SlotChoice | None, global_mods: list[str], built: bool) -> Material:
    """Default "material[:colour]" for a slot, overridden by what the prompt said about it."""
    base, _, default_colour = spec.partition(":")
    if choice and choice.material:
        material, colour = material_named(choice.material, built), None
    else:
        material, colour = material_named(MATERIAL_WORDS.get(base, base), built), default_colour or None
    if choice and choice.colour:
        material = material.tinted(choice.colour[1], choice.colour[0])
    elif colour:
        material = material.tinted(COLOURS[colour], colour)
    for word in [*(choice.modifiers if choice else []), *global_mods]:
        material = apply_modifier(material, word)
    return material


def plan(prompt: str, tier: Tier, seed: int, progress: Progress | None = None) -> Plan:
    interp: Interpretation = interpret(prompt)
    if progress:
        progress("image", 50)
    digest = seed_material(prompt, seed)
    rng = np.random.default_rng(int.from_bytes(digest[:16], "little"))
    fam, chosen = interp.family, interp.kind
    resolved = {
        slot: resolve_slot(spec, interp.slots.get(slot), interp.global_modifiers, fam.built)
        for slot, spec in fam.defaults(chosen).items()
    }
    jitter: dict[Material, Material] = {}
    for material in sorted(set(resolved.values()), key=lambda m: m.name):  # fixed order -> fixed draws
        jitter[material] = jittered(
            material, rng.uniform(-HUE_JITTER, HUE_JITTER), rng.uniform(-VALUE_JITTER, VALUE_JITTER)
        )
    materials = {slot: jitter[m] for slot, m in resolved.items()}
    sxz, sy = (1.0 + rng.uniform(-SCALE_JITTER, SCALE_JITTER) for _ in range(2))
    scale = (sxz * interp.scale[0], sy * interp.scale[1], sxz * interp.scale[0])
    detail = LOW_POLY if interp.low_poly else DETAIL[tier.id]
    if fam.faceted:  # few, large facets read as cut stone or crystal; many tiny ones just look smooth
        detail = g.Detail(detail.segments, detail.subdiv, min(detail.ico, 2), True)
    knobs = Knobs(int.from_bytes(digest[24:32], "little"), frozenset(normalise(prompt)))
    parts = tuple(fam.parts(knobs, chosen))
    shape_seed = int.from_bytes(digest[16:24], "little")
    return Plan(fam, chosen, parts, materials, detail, scale, shape_seed, tuple(interp.notes))


def build(p: Plan, detail: g.Detail, progress: Progress | None = None, textured: bool = False) -> list[Group]:
    """Tessellate every part, scale the whole, merge per material (one draw call each). With `textured`, parts in
    a world-aligned material (brick, stone, tiles) get UVs projected in place, so their courses stay level."""
    rng = np.random.default_rng(p.shape_seed)  # fresh per build: a coarser rebuild gets the same shapes
    by_material: dict[Material, list[g.Mesh]] = {}
    step = max(1, len(p.parts) // 4)
    for i, part in enumerate(p.parts):
        material = p.materials[part.slot]
        mesh = build_part(part, detail, rng)
        if textured and material.pattern in WORLD_ALIGNED:
            mesh = g.triplanar(mesh)
        by_material.setdefault(material, []).append(mesh)
        if progress and i % step == 0:
            progress("mesh", 5 + int(80 * i / len(p.parts)))
    scale = np.asarray(p.scale)
    groups = []
    for material, meshes in by_material.items():
        merged = g.concat(meshes)
        nrm = merged.normals / scale
        nrm /= np.linalg.norm(nrm, axis=1, keepdims=True)
        merged = g.Mesh(merged.positions * scale, nrm, merged.faces, merged.uvs)
        if detail.flat:
            merged = g.flat_shaded(merged)
        groups.append((material, merged))
    return groups


def coarser(detail: g.Detail) -> g.Detail:
    return g.Detail(max(6, detail.segments * 2 // 3), max(1, detail.subdiv - 1), max(0, detail.ico - 1), detail.flat)


@dataclass(frozen=True, slots=True)
class Model:
    """A finished model before its thumbnail: what the GLB is written from."""

    plan: Plan
    dressed: list[Dressed]
    faces: int
    notes: tuple[str, ...]

    @property
    def glb(self) -> bytes:
        return to_glb(self.dressed, self.plan.family.name)


def make_model(prompt: str, tier: Tier, seed: int, progress: Progress = lambda step, pct: None) -> Model:
    """Plan, tessellate within the tier's budget, dress the surfaces (progress steps "image", "mesh", "finish"
    up to 80 %)."""
    progress("image", 0)
    p = plan(prompt, tier, seed, progress)
    progress("image", 100)

    progress("mesh", 0)
    textured = textured_tier(tier)
    detail = p.detail
    groups = build(p, detail, progress, textured)
    for _ in range(3):  # too dense for the budget: rebuild coarser before resorting to decimation
        if face_count(groups) <= tier.face_budget:
            break
        detail = coarser(detail)
        groups = build(p, detail, textured=textured)
    progress("mesh", 100)

    progress("finish", 0)
    groups, budget_notes = enforce_budget(groups, tier.face_budget)
    groups = ground_and_centre(groups)
    progress("finish", 20)
    dressed = dress(groups, tier, p.shape_seed, lambda pct: progress("finish", 20 + pct // 2))
    return Model(p, dressed, face_count(groups), (*p.notes, *budget_notes))


def generate_from_text(prompt: str, tier: Tier, seed: int, progress: Progress) -> EngineOutput:
    model = make_model(prompt, tier, seed, progress)
    glb = model.glb
    progress("finish", 80)
    png = to_thumbnail(model.dressed, tier.thumbnail_size)
    progress("finish", 100)
    return EngineOutput(
        glb=glb,
        thumbnail_png=png,
        faces=model.faces,
        recipe=model.plan.family.name,
        materials=tuple(d.material.name for d in model.dressed),
        notes=model.notes,
    )
