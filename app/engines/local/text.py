"""Text -> 3D: the embedded procedural engine the job runner calls.

    generate_from_text(prompt, tier, seed, progress) -> EngineOutput

Steps reported through `progress(step, percent)`: "image" (interpret the prompt, plan materials), "mesh" (build
the recipe's parts), "finish" (budget, GLB, thumbnail). Output is a pure function of (prompt, tier.id, seed): the
only randomness is a numpy Generator seeded from a SHA-256 of the normalised prompt and the seed (not the tier, so
a higher tier of the same seed has the same proportions and colours).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.engines.local import geometry as g
from app.engines.local.finish import enforce_budget, face_count, ground_and_centre
from app.engines.local.gltf import Primitive, write_glb
from app.engines.local.materials import COLOURS, MATERIAL_WORDS, MATERIALS, Material, apply_modifier, jittered
from app.engines.local.parts import build_part
from app.engines.local.prompt import Interpretation, SlotChoice, interpret, normalise
from app.engines.local.recipes import Recipe
from app.engines.local.thumbnail import render_thumbnail
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


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything decided before any geometry is built."""

    recipe: Recipe
    materials: dict[str, Material]  # slot -> final material
    detail: g.Detail
    scale: tuple[float, float, float]
    shape_seed: int
    notes: tuple[str, ...]


def seed_material(prompt: str, seed: int) -> bytes:
    return hashlib.sha256(f"{' '.join(normalise(prompt))}\x00{int(seed)}".encode()).digest()


def resolve_slot(spec: str, choice: SlotChoice | None, global_mods: list[str]) -> Material:
    """Default "material[:colour]" for a slot, overridden by what the prompt said about it."""
    base, _, default_colour = spec.partition(":")
    if choice and choice.material:
        material, colour = MATERIALS[choice.material], None
    else:
        material, colour = MATERIALS[MATERIAL_WORDS.get(base, base)], default_colour or None
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
    recipe = interp.recipe
    resolved = {
        slot: resolve_slot(spec, interp.slots.get(slot), interp.global_modifiers) for slot, spec in recipe.slots.items()
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
    if recipe.faceted:  # few, large facets read as cut stone or crystal; many tiny ones just look smooth
        detail = g.Detail(detail.segments, detail.subdiv, min(detail.ico, 2), True)
    shape_seed = int.from_bytes(digest[16:24], "little")
    return Plan(recipe, materials, detail, scale, shape_seed, tuple(interp.notes))


def build(p: Plan, detail: g.Detail, progress: Progress | None = None) -> list[tuple[Material, g.Mesh]]:
    """Tessellate every part, scale the whole, merge per material (one draw call each)."""
    rng = np.random.default_rng(p.shape_seed)  # fresh per build: a coarser rebuild gets the same shapes
    by_material: dict[Material, list[g.Mesh]] = {}
    parts = p.recipe.parts
    step = max(1, len(parts) // 4)
    for i, part in enumerate(parts):
        mesh = build_part(part, detail, rng)
        by_material.setdefault(p.materials[part.slot], []).append(mesh)
        if progress and i % step == 0:
            progress("mesh", 5 + int(80 * i / len(parts)))
    scale = np.asarray(p.scale)
    groups = []
    for material, meshes in by_material.items():
        merged = g.concat(meshes)
        nrm = merged.normals / scale
        merged = g.Mesh(merged.positions * scale, nrm / np.linalg.norm(nrm, axis=1, keepdims=True), merged.faces)
        if detail.flat:
            merged = g.flat_shaded(merged)
        groups.append((material, merged))
    return groups


def to_glb(groups: list[tuple[Material, g.Mesh]], pbr: bool, name: str) -> bytes:
    return write_glb([Primitive(m.positions, m.normals, m.faces, mat.pbr_material(pbr)) for mat, m in groups], name)


def coarser(detail: g.Detail) -> g.Detail:
    return g.Detail(max(6, detail.segments * 2 // 3), max(1, detail.subdiv - 1), max(0, detail.ico - 1), detail.flat)


def generate_from_text(prompt: str, tier: Tier, seed: int, progress: Progress) -> EngineOutput:
    progress("image", 0)
    p = plan(prompt, tier, seed, progress)
    progress("image", 100)

    progress("mesh", 0)
    detail = p.detail
    groups = build(p, detail, progress)
    for _ in range(3):  # too dense for the budget: rebuild coarser before resorting to decimation
        if face_count(groups) <= tier.face_budget:
            break
        detail = coarser(detail)
        groups = build(p, detail)
    progress("mesh", 100)

    progress("finish", 0)
    groups, budget_notes = enforce_budget(groups, tier.face_budget)
    groups = ground_and_centre(groups)
    progress("finish", 30)
    glb = to_glb(groups, tier.pbr, p.recipe.name)
    progress("finish", 50)
    png = render_thumbnail(groups, tier.thumbnail_size)
    progress("finish", 100)
    return EngineOutput(
        glb=glb,
        thumbnail_png=png,
        faces=face_count(groups),
        recipe=p.recipe.name,
        materials=tuple(m.name for m, _ in groups),
        notes=(*p.notes, *budget_notes),
    )
