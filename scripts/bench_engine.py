"""Time the embedded engine per path and tier (warm, in-process) and print JSON: {path: {tier: stats}}.

    .venv/bin/python scripts/bench_engine.py [--path text|image|multiview|all] [--repeat 1] [--all] [--out DIR]

text: default prompts are a representative mix (the earlier ten, then everyday ones); --all runs every family by
name.
image: one drawn photo (a mug on a plain background) and three procedural models' front views, inflated.
multiview: the same three models rendered from 2, 3 and 4 sides (front, right, back, top), visual hull.
--out writes each GLB and thumbnail.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engines.local.photo import generate_from_photos
from app.engines.local.recipes import RECIPES
from app.engines.local.text import generate_from_text
from app.engines.output import EngineOutput
from app.tiers import TIERS, Tier

PROMPTS = [
    "a glazed ceramic teapot",
    "a low-poly treasure chest, iron-banded wood",
    "a red plastic chair",
    "an oak tree",
    "a blue sports car",
    "a robot",
    "a stone tower",
    "a wooden bookshelf",
    "a golden sword",
    "a potted plant",
    "a red fire truck",
    "a victorian street lamp",
    "a teddy bear",
    "a knight in shining armor",
    "a brick house with a chimney",
    "a wooden rowing boat",
]


MODELS = ["a robot", "a red plastic chair", "a potted plant"]  # rendered on a plain background for photo inputs


def photo_inputs(path: str) -> dict[str, list[bytes]]:
    """name -> encoded photos: drawn/rendered on plain backgrounds by the test helpers (no files needed)."""
    from tests import images

    inputs: dict[str, list[bytes]] = {}
    if path == "image":
        inputs["drawn mug"] = [images.encode(images.clean_photo(), "JPEG", quality=92)]
    for prompt in MODELS:
        views = images.render_views(images.model_groups(prompt), ["front", "right", "back", "top"])
        if path == "image":
            inputs[prompt] = [images.encode(views[0][0])]
        else:
            for count in (2, 3, 4):
                inputs[f"{prompt} ×{count}"] = [images.encode(rgb) for rgb, _ in views[:count]]
    return inputs


def runner(path: str, all_recipes: bool) -> tuple[dict[str, object], Callable[[object, Tier, int], EngineOutput]]:
    if path == "text":
        prompts = sorted(RECIPES) if all_recipes else PROMPTS
        return {p: p for p in prompts}, lambda prompt, tier, seed: generate_from_text(prompt, tier, seed, quiet)
    return dict(photo_inputs(path)), lambda photos, tier, seed: generate_from_photos(photos, tier, seed, quiet)


def quiet(step: str, percent: int) -> None:
    pass


def bench_path(path: str, args: argparse.Namespace) -> dict[str, dict]:
    inputs, run = runner(path, args.all)
    run(next(iter(inputs.values())), TIERS["draft"], 0)  # warm up
    result: dict[str, dict] = {}
    for tier_id, tier in TIERS.items():
        times, faces, slowest = [], [], ("", 0.0)
        for name, source in inputs.items():
            for rep in range(args.repeat):
                t0 = time.perf_counter()
                out = run(source, tier, rep)
                dt = time.perf_counter() - t0
                times.append(dt)
                faces.append(out.faces)
                slowest = max(slowest, (name, dt), key=lambda x: x[1])
                if args.out and rep == 0:
                    args.out.mkdir(parents=True, exist_ok=True)
                    stem = f"{path}-{name.replace(' ', '_').replace(',', '')}-{tier_id}"
                    (args.out / f"{stem}.glb").write_bytes(out.glb)
                    (args.out / f"{stem}.png").write_bytes(out.thumbnail_png)
        result[tier_id] = {
            "runs": len(times),
            "median_s": round(statistics.median(times), 4),
            "max_s": round(max(times), 4),
            "slowest": slowest[0],
            "median_faces": int(statistics.median(faces)),
            "max_faces": max(faces),
            "budget": tier.face_budget,
        }
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--path", choices=["text", "image", "multiview", "all"], default="all")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--all", action="store_true", help="every recipe instead of the sample prompts (text)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    paths = ["text", "image", "multiview"] if args.path == "all" else [args.path]
    print(json.dumps({path: bench_path(path, args) for path in paths}, indent=1))


if __name__ == "__main__":
    main()
