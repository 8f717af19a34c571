"""Render every family of the built-in engine at every tier into one contact sheet, so a person can review the
whole engine in one look; optionally a few photo → 3D results beside their photos.

    .venv/bin/python scripts/gallery.py [--out docs/gallery.png] [--tiers draft,standard,high] [--cell 112]
                                        [--families a,b,c] [--seed 0] [--photos] [--jobs 2]

Each cell is the engine's own thumbnail (the same renderer jobs use), labelled with the family name; tiers sit side
by side. Deterministic: the same engine gives the same sheet.
"""

from __future__ import annotations

import argparse
import io
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFont

from app.engines.local.recipes import FAMILIES
from app.tiers import TIERS

BACKGROUND = (244, 243, 239)
INK = (40, 40, 44)
LABEL = 14  # pixels under each group of cells


def quiet(step: str, percent: int) -> None:
    pass


def text_cell(job: tuple[str, str, int, int]) -> bytes:
    """One family at one tier: its thumbnail, scaled to the cell (PNG bytes)."""
    from app.engines.local.text import generate_from_text

    name, tier_id, seed, cell = job
    out = generate_from_text(name, TIERS[tier_id], seed, quiet)
    return _fit(Image.open(io.BytesIO(out.thumbnail_png)), cell)


def photo_cells(cell: int) -> list[tuple[str, bytes, bytes]]:
    """(label, photo, model thumbnail) for a few photo → 3D results at the high tier."""
    from app.engines.local.photo import generate_from_photos
    from tests import images

    out = []
    teapot = images.render_views(images.model_groups("a blue glazed ceramic teapot", 1), ["front"], size=600)[0][0]
    robot = images.render_views(images.model_groups("a robot"), ["front", "right", "back", "top"])
    inputs = {
        "photo: drawn mug": [images.encode(images.clean_photo())],
        "photo: teapot": [images.encode(teapot)],
        "4 views: robot": [images.encode(rgb) for rgb, _ in robot],
    }
    for label, photos in inputs.items():
        model = generate_from_photos(photos, TIERS["high"], 0, quiet)
        photo = _fit(Image.open(io.BytesIO(photos[0])), cell)
        out.append((label, photo, _fit(Image.open(io.BytesIO(model.thumbnail_png)), cell)))
    return out


def _fit(image: Image.Image, cell: int) -> bytes:
    canvas = Image.new("RGBA", image.size, (*BACKGROUND, 255))
    canvas.alpha_composite(image.convert("RGBA"))
    buf = io.BytesIO()
    canvas.convert("RGB").resize((cell, cell), Image.Resampling.LANCZOS).save(buf, format="PNG")
    return buf.getvalue()


def sheet(groups: list[tuple[str, list[bytes]]], cell: int, per_row: int) -> Image.Image:
    """Groups of cells (a family's tiers) in a grid, each group labelled underneath."""
    width = max(len(cells) for _, cells in groups) * cell
    rows = -(-len(groups) // per_row)
    image = Image.new("RGB", (per_row * (width + 6), rows * (cell + LABEL + 6)), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    for n, (label, cells) in enumerate(groups):
        x0, y0 = (n % per_row) * (width + 6), (n // per_row) * (cell + LABEL + 6)
        for k, png in enumerate(cells):
            image.paste(Image.open(io.BytesIO(png)), (x0 + k * cell, y0))
        draw.text((x0 + 2, y0 + cell + 1), label[: width // 6], fill=INK, font=font)
    return image


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("docs/gallery.png"))
    ap.add_argument("--tiers", default="draft,standard,high")
    ap.add_argument("--families", default="", help="comma-separated subset (default: every family)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cell", type=int, default=112)
    ap.add_argument("--per-row", type=int, default=0, help="families per row (default: about square)")
    ap.add_argument("--photos", action="store_true", help="add photo → 3D results beside their photos")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    names = [n.strip() for n in args.families.split(",") if n.strip()] or sorted(FAMILIES)
    tiers = [t.strip() for t in args.tiers.split(",") if t.strip()]
    jobs = [(name, tier, args.seed, args.cell) for name in names for tier in tiers]
    with ProcessPoolExecutor(args.jobs) as pool:
        cells = list(pool.map(text_cell, jobs, chunksize=4))
    groups = [(name, cells[i * len(tiers) : (i + 1) * len(tiers)]) for i, name in enumerate(names)]
    if args.photos:
        groups += [(label, [photo, model]) for label, photo, model in photo_cells(args.cell)]
    per_row = args.per_row or max(1, round((len(groups) * args.cell / (len(tiers) * args.cell)) ** 0.5))
    image = sheet(groups, args.cell, per_row)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(args.out, optimize=True)
    print(f"{args.out}: {len(names)} families × {len(tiers)} tiers, {image.width}×{image.height}")


if __name__ == "__main__":
    main()
