"""Time the embedded text→3D engine per tier (warm, in-process) and print JSON.

    .venv/bin/python scripts/bench_engine.py [--repeat 1] [--all] [--out DIR]

Default prompts are a representative mix; --all runs every recipe by name. --out writes each GLB and thumbnail.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engines.local.recipes import RECIPES
from app.engines.local.text import generate_from_text
from app.tiers import TIERS

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
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--all", action="store_true", help="every recipe instead of the sample prompts")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    prompts = sorted(RECIPES) if args.all else PROMPTS
    generate_from_text("warm up", TIERS["draft"], 0, lambda s, p: None)
    result: dict[str, dict] = {}
    for tier_id, tier in TIERS.items():
        times, faces, slowest = [], [], ("", 0.0)
        for prompt in prompts:
            for rep in range(args.repeat):
                t0 = time.perf_counter()
                out = generate_from_text(prompt, tier, rep, lambda s, p: None)
                dt = time.perf_counter() - t0
                times.append(dt)
                faces.append(out.faces)
                slowest = max(slowest, (prompt, dt), key=lambda x: x[1])
                if args.out and rep == 0:
                    args.out.mkdir(parents=True, exist_ok=True)
                    stem = f"{prompt.replace(' ', '_').replace(',', '')}-{tier_id}"
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
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
